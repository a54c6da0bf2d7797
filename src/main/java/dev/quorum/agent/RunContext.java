package dev.quorum.agent;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's side of one run: how to stop it, and where its progress and transcript go.
 *
 * @param cancel     checked between steps
 * @param progress   short status lines
 * @param transcript every model and tool call, as it happens
 */
public record RunContext(CancelToken cancel, ProgressListener progress, TranscriptSink transcript) {

    private static final Logger LOG = LoggerFactory.getLogger(RunContext.class);

    public RunContext {
        Objects.requireNonNull(cancel, "cancel");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(transcript, "transcript");
    }

    /** No cancel, progress or stored transcript: for tests and one-off runs. */
    public static RunContext detached() {
        return new RunContext(CancelToken.none(), ProgressListener.NONE, TranscriptSink.NONE);
    }

    /** Sends a status line to the progress port; a failing listener is logged, never propagated. */
    public void report(String requestId, String status) {
        try {
            progress.onProgress(requestId, status);
        } catch (RuntimeException e) {
            // chat or Redis gone, or a cancel interrupting the update; the run does not depend on it
            LOG.warn("{}: progress listener failed; the run goes on: {}", requestId, e.toString());
            LOG.debug("{}: progress listener failure", requestId, e);
        }
    }
}
