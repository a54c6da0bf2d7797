package dev.quorum.request;

import dev.quorum.conversation.StoreUnreachableException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Takes jobs from the {@link WorkQueue} and runs each on its own virtual thread, at most
 * {@code concurrency} at once. In-flight jobs are heartbeated so other instances leave them
 * alone; jobs of a dead instance are reclaimed after {@code reclaimAfter} of silence.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    private final WorkQueue queue;
    private final String consumer;
    private final Semaphore slots;
    private final int concurrency;
    private final Map<String, JobHandler> handlers;
    private final RequestStore store;
    private final CancelBoard cancels;
    private final BiConsumer<Request, Exception> onCrash;
    private final int maxAttempts;
    private final BiConsumer<Request, String> onGiveUp;
    private final Duration heartbeat;
    private final Duration reclaimAfter;
    private final Map<String, Delivery> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running;
    private Thread reader;
    private Thread keeper;

    /**
     * @param consumer    this instance's name in the consumer group
     * @param handlers    job kind to its handler
     * @param onCrash     called when a handler throws, to fail the request visibly
     * @param maxAttempts deliveries of one job before it is given up on (each instance that took it died with it)
     * @param onGiveUp    called with the request and why when its job went to the dead letters, to fail it visibly
     */
    public WorkerPool(WorkQueue queue, String consumer, int concurrency, Map<String, JobHandler> handlers,
                      RequestStore store, CancelBoard cancels, BiConsumer<Request, Exception> onCrash,
                      Duration heartbeat, Duration reclaimAfter, int maxAttempts, BiConsumer<Request, String> onGiveUp) {
        this.queue = queue;
        this.consumer = consumer;
        this.concurrency = concurrency;
        this.slots = new Semaphore(concurrency);
        this.handlers = Map.copyOf(handlers);
        this.store = store;
        this.cancels = cancels;
        this.onCrash = onCrash;
        this.heartbeat = heartbeat;
        this.reclaimAfter = reclaimAfter;
        this.maxAttempts = maxAttempts;
        this.onGiveUp = onGiveUp;
    }

    public void start() {
        running = true;
        reader = Thread.ofVirtual().name("work-reader-" + consumer).start(this::readLoop);
        keeper = Thread.ofVirtual().name("work-keeper-" + consumer).start(this::keepLoop);
    }

    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Fills free slots: first with jobs whose worker went silent (every half reclaim period),
     * then with new jobs. One loop does both so that blocking on new work never starves reclaim.
     */
    private void readLoop() {
        long lastReclaim = 0;
        while (running) {
            int free = 0;
            try {
                slots.acquire();
                free = 1 + slots.drainPermits();
                List<Delivery> got = new ArrayList<>();
                if (System.nanoTime() - lastReclaim > reclaimAfter.toNanos() / 2) {
                    lastReclaim = System.nanoTime();
                    for (Delivery d : queue.reclaim(consumer, reclaimAfter, free)) {
                        // Our own job, still running: its heartbeat was late (a stall), its worker is not dead.
                        if (inFlight.containsKey(d.entryId())) continue;
                        LOG.info("Reclaimed job {} of {} from a worker that stopped answering", d.job().kind(), d.job().requestId());
                        got.add(d);
                    }
                }
                if (got.size() < free) got.addAll(queue.take(consumer, free - got.size(), Duration.ofSeconds(1)));
                slots.release(free - got.size());
                free = 0;
                got.forEach(this::dispatch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                slots.release(free); // the slots held for jobs that never came
                if (running) {
                    LOG.warn("Reading the work queue failed; retrying: {}", e.toString());
                    pause(Duration.ofSeconds(1));
                }
            }
        }
    }

    /** Tells the group that in-flight jobs are alive, so no other instance reclaims them. */
    private void keepLoop() {
        while (running) {
            try {
                for (Delivery d : inFlight.values()) queue.heartbeat(consumer, d);
            } catch (RuntimeException e) {
                if (running) LOG.warn("Heartbeating in-flight jobs failed: {}", e.toString());
            }
            pause(heartbeat);
        }
    }

    /** Runs a delivery on a new virtual thread; the caller holds one slot for it. */
    private void dispatch(Delivery d) {
        inFlight.put(d.entryId(), d);
        jobs.execute(() -> {
            try {
                runOne(d);
            } finally {
                inFlight.remove(d.entryId());
                slots.release();
            }
        });
    }

    private void runOne(Delivery d) {
        Optional<Request> request = Optional.empty();
        try {
            if (!countedIn(d)) return;
            request = store.find(d.job().requestId());
            JobHandler handler = handlers.get(d.job().kind());
            if (request.isEmpty() || handler == null) {
                LOG.warn("Dropping job {} for {}: {}", d.job().kind(), d.job().requestId(),
                        request.isEmpty() ? "no such request" : "no handler for this kind");
            } else {
                Cancellation cancel = cancels.register(request.get().id());
                try {
                    handler.run(d, request.get(), cancel);
                } finally {
                    cancels.unregister(request.get().id());
                }
            }
            queue.ack(d);
        } catch (Exception e) {
            if (stoppedByShutdown(e)) { // not a failure of the job: left pending, so an instance that runs on takes it over
                LOG.warn("Job {} for {} was stopped as Quorum stops; it stays queued for another instance: {}", d.job().kind(),
                        d.job().requestId(), e.toString());
                return;
            }
            if (StoreUnreachableException.explains(e)) {
                // Redis went out of reach under the job: not the job's failure, and recording one could not be trusted
                // either. Left unacknowledged, it is taken over like a crashed instance's once Redis answers (its
                // heartbeat stops with the store), each delivery counted against the attempt cap.
                LOG.warn("Job {} for {} lost its store while it ran; it stays queued and runs again once Redis answers: {}",
                        d.job().kind(), d.job().requestId(), e.toString());
                return;
            }
            LOG.error("Job {} for {} failed", d.job().kind(), d.job().requestId(), e);
            try {
                request.ifPresent(r -> onCrash.accept(store.find(r.id()).orElse(r), e));
                queue.ack(d);
            } catch (RuntimeException again) {
                LOG.error("Could not record the failure of {}", d.job().requestId(), again);
            }
        }
    }

    /** Whether {@code e} is this thread's interruption (Quorum stopping), however a library wrapped it. */
    private static boolean stoppedByShutdown(Exception e) {
        if (!Thread.currentThread().isInterrupted() && !(e instanceof InterruptedException)) return false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) return true;
        }
        return false;
    }

    /**
     * Counts the delivery: true when it is to run. Past the cap the job has just gone to the dead letters (in the same Redis step) and its
     * request is failed with why. A job that kills its JVM is thereby tried {@code maxAttempts} times, not forever.
     */
    private boolean countedIn(Delivery d) {
        boolean runs;
        try {
            runs = queue.attempt(d, consumer, maxAttempts).isPresent();
        } catch (RuntimeException e) {
            // Uncounted, it is not run (nor acknowledged): it stays pending and is reclaimed once Redis answers.
            LOG.warn("Could not count the delivery of job {} of {}; leaving it queued: {}", d.job().kind(), d.job().requestId(), e.toString());
            return false;
        }
        if (runs) return true;
        String why = "the Quorum instance working on it stopped " + maxAttempts + (maxAttempts == 1 ? " time" : " times")
                + " (a crash or a restart each time), so Quorum gave up on its " + d.job().kind() + " job";
        LOG.error("Gave up on job {} of {} after {} deliveries; it is in the dead letters ({})", d.job().kind(),
                d.job().requestId(), maxAttempts, WorkQueue.DEAD_LETTERS);
        store.find(d.job().requestId()).ifPresent(r -> onGiveUp.accept(r, why));
        return false;
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops taking jobs and waits a little for running ones, then interrupts them and waits a little more;
     * unfinished ones will be reclaimed.
     */
    @Override
    public void close() {
        running = false;
        if (reader != null) reader.interrupt();
        if (keeper != null) keeper.interrupt();
        jobs.shutdown();
        try {
            if (!jobs.awaitTermination(5, TimeUnit.SECONDS)) {
                jobs.shutdownNow();
                // Interrupted jobs get a moment to record where they are (an agent run hands itself over).
                jobs.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int concurrency() {
        return concurrency;
    }
}
