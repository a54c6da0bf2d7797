package dev.quorum.agent.transcript;

import dev.quorum.agent.TranscriptSink;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transcript of one run: keeps the entries and forwards each to the {@link TranscriptSink} as it is added.
 * Confined to the run's thread; not safe for concurrent use.
 */
public final class Transcript {

    private static final Logger LOG = LoggerFactory.getLogger(Transcript.class);

    private final String requestId;
    private final TranscriptSink sink;
    private final List<TranscriptEntry> entries = new ArrayList<>();

    public Transcript(String requestId, TranscriptSink sink) {
        this.requestId = requestId;
        this.sink = sink;
    }

    /** The next sequence number to use. */
    public int nextSeq() {
        return entries.size() + 1;
    }

    public void add(TranscriptEntry entry) {
        entries.add(entry);
        try {
            sink.append(requestId, entry);
        } catch (RuntimeException e) {
            // Redis gone or a cancel interrupting the write; the run does not depend on it
            LOG.warn("{}: transcript sink failed for entry {}; the run goes on: {}", requestId, entry.seq(), e.toString());
            LOG.debug("{}: transcript sink failure", requestId, e);
        }
    }

    /** An immutable copy of the entries so far. */
    public List<TranscriptEntry> entries() {
        return List.copyOf(entries);
    }
}
