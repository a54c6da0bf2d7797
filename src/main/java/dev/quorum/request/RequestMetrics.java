package dev.quorum.request;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request gauges for Prometheus: requests by state and by type, and the work queue's depth.
 * Values are read from Redis every few seconds on a virtual thread, so a scrape never waits on
 * Redis (and never on an event loop).
 */
public final class RequestMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestMetrics.class);

    private final RequestStore store;
    private final WorkQueue queue;
    private final Map<RequestState, AtomicLong> byState = new EnumMap<>(RequestState.class);
    private final Map<RequestType, AtomicLong> byType = new EnumMap<>(RequestType.class);
    private final AtomicLong depth = new AtomicLong();
    private volatile boolean running = true;
    private final Thread refresher;

    public RequestMetrics(MeterRegistry registry, RequestStore store, WorkQueue queue, Duration every) {
        this.store = store;
        this.queue = queue;
        for (RequestState s : RequestState.values()) {
            AtomicLong v = new AtomicLong();
            byState.put(s, v);
            Gauge.builder("quorum_requests_by_state", v, AtomicLong::get).tag("state", s.wire())
                    .description("Requests currently in each state").register(registry);
        }
        for (RequestType t : RequestType.values()) {
            AtomicLong v = new AtomicLong();
            byType.put(t, v);
            Gauge.builder("quorum_requests_by_type", v, AtomicLong::get).tag("type", t.wire())
                    .description("Requests ever made, by type").register(registry);
        }
        Gauge.builder("quorum_work_queue_depth", depth, AtomicLong::get)
                .description("Jobs waiting or in progress in the work queue").register(registry);
        refresh();
        refresher = Thread.ofVirtual().name("request-metrics").start(() -> {
            while (running) {
                try {
                    Thread.sleep(every);
                    refresh();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.debug("Could not refresh request metrics: {}", e.toString());
                }
            }
        });
    }

    public void refresh() {
        store.countByState().forEach((s, n) -> byState.get(s).set(n));
        for (RequestType t : RequestType.values()) byType.get(t).set(store.countByType(t));
        depth.set(queue.depth());
    }

    @Override
    public void close() {
        running = false;
        refresher.interrupt();
    }
}
