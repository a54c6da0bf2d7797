package dev.quorum.request;

/**
 * A job as handed to one worker.
 *
 * @param entryId    the stream entry, to acknowledge
 * @param redelivered true when another worker had it before and died (or was too slow to heartbeat)
 */
public record Delivery(String entryId, Job job, boolean redelivered) {}
