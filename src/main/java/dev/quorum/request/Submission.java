package dev.quorum.request;

import dev.quorum.conversation.IncomingMessage;

import java.util.Map;
import java.util.Objects;

/**
 * A new request as a command asks for it, for {@link Requests#submit}: opened, its inputs stored, its
 * audit entry written and its job queued in one step, then its progress message posted.
 *
 * @param from    the message that asked for it (its sender is the requester, its conversation the origin)
 * @param text    what was asked, as shown
 * @param rerunOf the request this one reruns, or {@code null}
 * @param inputs  what it works on, resolved now, so that any worker and any later rerun use exactly that
 * @param job     the kind of job that works on it
 * @param status  the progress message's first status
 */
public record Submission(RequestType type, IncomingMessage from, String text, String rerunOf, Map<String, String> inputs,
                         String job, String status) {
    public Submission {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(status, "status");
        inputs = Map.copyOf(inputs);
    }
}
