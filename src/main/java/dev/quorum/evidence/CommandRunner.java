package dev.quorum.evidence;

import dev.quorum.request.Cancellation;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs a command a sandbox prepared, with a time limit and cancellation, streaming its merged
 * output through the redactor into a log; on timeout or cancel its whole process tree is stopped
 * ({@link ProcessTree}; in a sandbox, the sandbox's PID namespace dies with it). Blocks the calling thread for the run (meant for virtual threads).
 * Immutable and thread-safe: concurrent runs share nothing.
 */
public final class CommandRunner {

    static final int TAIL_LINES = 60;
    static final int TAIL_CHARS = 4096;

    private final Duration heartbeat;
    private final Duration killGrace;

    public CommandRunner(Duration heartbeat, Duration killGrace) {
        this.heartbeat = heartbeat;
        this.killGrace = killGrace;
    }

    /**
     * Runs {@code run} to its end, its time limit or its cancellation.
     *
     * @param onHeartbeat told the elapsed time every heartbeat while the command runs
     * @throws IOException when the process cannot be started or the log cannot be written
     */
    public CommandOutcome run(CommandRun run, Cancellation cancellation, Consumer<Duration> onHeartbeat) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(run.launch().argv())
                .directory(run.launch().directory().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(run.launch().env());

        LogTail tail = new LogTail(TAIL_LINES, TAIL_CHARS);
        Instant startedAt = Instant.now();
        long startNanos = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            run.launch().finish(false);
            throw e;
        }
        OutputPump pump = new OutputPump(process.getInputStream(), run.logFile(), run.redactor().lines(), tail);
        pump.start();

        CommandOutcome.Ending ending;
        boolean interrupted = false;
        try {
            ending = awaitEnd(process, startNanos, run.timeout(), cancellation, onHeartbeat);
        } catch (InterruptedException e) {
            interrupted = true; // the caller wants out: same as a cancel
            ending = CommandOutcome.Ending.CANCELLED;
        }
        long endNanos = System.nanoTime();
        List<String> problems = new ArrayList<>();
        if (ending != CommandOutcome.Ending.EXITED) {
            if (!ProcessTree.terminate(process.toHandle(), killGrace)) {
                problems.add("some processes of the test command survived being killed");
            }
        }
        Integer exitCode = process.isAlive() ? null : process.exitValue();
        problems.addAll(run.launch().finish(ending == CommandOutcome.Ending.EXITED));
        try {
            if (!pump.await(killGrace.plusSeconds(2))) { // silence, not total time: a long log may still be draining
                problems.add("the output stayed open after the command ended; the log is cut short");
            }
        } catch (InterruptedException e) {
            interrupted = true;
            problems.add("interrupted while reading the output; the log is cut short");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return new CommandOutcome(ending, exitCode, startedAt, Duration.ofNanos(endNanos - startNanos),
                tail.text(), problems);
    }

    /** Waits for the process to exit, the time limit or a cancel, whichever comes first. */
    private CommandOutcome.Ending awaitEnd(Process process, long startNanos, Duration timeout, Cancellation cancellation,
                                           Consumer<Duration> onHeartbeat) throws InterruptedException {
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        Cancellation.Registration onCancel = cancellation.onCancel(() -> cancelled.complete(null));
        try {
            CompletableFuture<Object> exitOrCancel = CompletableFuture.anyOf(process.onExit(), cancelled);
            long deadline = startNanos + timeout.toNanos();
            long nextBeat = startNanos + heartbeat.toNanos();
            while (true) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    return CommandOutcome.Ending.TIMED_OUT;
                }
                try {
                    exitOrCancel.get(Math.min(deadline - now, nextBeat - now), TimeUnit.NANOSECONDS);
                    return cancelled.isDone() ? CommandOutcome.Ending.CANCELLED : CommandOutcome.Ending.EXITED;
                } catch (TimeoutException e) {
                    if (System.nanoTime() - nextBeat >= 0) {
                        onHeartbeat.accept(Duration.ofNanos(System.nanoTime() - startNanos));
                        nextBeat += heartbeat.toNanos();
                    }
                } catch (ExecutionException e) {
                    throw new IllegalStateException("waiting for a process cannot fail", e);
                }
            }
        } finally {
            onCancel.close();
        }
    }
}
