package dev.quorum.agent;

import dev.quorum.agent.research.Source;
import dev.quorum.agent.transcript.TranscriptEntry;
import java.util.List;

/**
 * The end of a research run.
 *
 * @param requestId           the request
 * @param outcome             how it ended
 * @param report              the text to post: citations checked, unverified ones marked, Sources section appended
 * @param sources             every source a tool returned, numbered
 * @param unverifiedCitations numbers the report cites that no tool returned
 * @param retrievalOnly       true when no model is configured and the report is search results alone
 * @param usage               what it consumed
 * @param transcript          every model and tool call
 */
public record ResearchResult(
        String requestId,
        RunOutcome outcome,
        String report,
        List<Source> sources,
        List<Integer> unverifiedCitations,
        boolean retrievalOnly,
        Usage usage,
        List<TranscriptEntry> transcript) {

    public ResearchResult {
        sources = List.copyOf(sources);
        unverifiedCitations = List.copyOf(unverifiedCitations);
        transcript = List.copyOf(transcript);
    }
}
