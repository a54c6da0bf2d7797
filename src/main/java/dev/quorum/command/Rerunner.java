package dev.quorum.command;

import dev.quorum.conversation.IncomingMessage;
import dev.quorum.request.Request;

/** How one type of work request is run again with the same inputs and settings. */
@FunctionalInterface
public interface Rerunner {
    /** Opens and queues the new request, linked to the original; returns it. */
    Request rerun(Request original, IncomingMessage by);
}
