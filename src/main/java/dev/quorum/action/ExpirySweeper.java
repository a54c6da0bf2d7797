package dev.quorum.action;

import dev.quorum.approval.ApprovalService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Closes approval windows that ran out, on every instance, from the moment Quorum starts: the
 * expiry time lives in Redis, so a window that ended while Quorum was down closes at once.
 */
final class ExpirySweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpirySweeper.class);
    private final Thread thread;
    private volatile boolean stopping;

    ExpirySweeper(ApprovalService approvals, Duration every) {
        thread = Thread.ofVirtual().name("approval-expiry").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    approvals.expireDue();
                } catch (RuntimeException e) {
                    // close() interrupts a Redis call in flight (RedisCommandInterruptedException): that is the stop, not a failure
                    if (stopping) return;
                    LOG.warn("Expiring approval windows failed; trying again: {}", e.toString());
                }
                try {
                    Thread.sleep(every); // after a failure too: with Redis down, trying again at once spun (thousands of warnings a second)
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
    }
}
