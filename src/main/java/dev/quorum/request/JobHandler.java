package dev.quorum.request;

/**
 * Does one kind of job. Runs on its own virtual thread; may block for as long as the work takes.
 * Implementations own the request's state changes; an exception means "failed unexpectedly"
 * and the pool fails the request with a generic reason (details go to the log, not to chat).
 */
@FunctionalInterface
public interface JobHandler {
    /**
     * @param request the request as it was when the job was picked up
     * @param cancel  signalled by {@code cancel <id>} from any instance
     */
    void run(Delivery delivery, Request request, Cancellation cancel) throws Exception;
}
