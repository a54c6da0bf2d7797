package dev.quorum.agent;

import dev.quorum.agent.coding.CodingLimits;
import dev.quorum.agent.model.ModelSettings;
import dev.quorum.agent.search.IndexSettings;
import dev.quorum.agent.search.KnowledgeFolder;
import dev.quorum.agent.web.FetchSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the agents need from Quorum's configuration.
 *
 * @param model             the chat model, or null when none is configured (research then answers from retrieval
 *                          alone; coding is refused with a message saying how to configure one)
 * @param knowledgeFolders  folders research may search and read
 * @param indexDirectory    where the docs index lives on disk, e.g. {@code data/index}; null keeps it in memory
 * @param index             what the index takes in and how often it rescans
 * @param fetch             fetch_url allowlist and caps
 * @param arxivApi          the arXiv query endpoint
 * @param coding            output bounds of the coding tools
 * @param maxConcurrentRuns runs executing at once; more wait in order
 */
public record AgentSettings(
        ModelSettings model,
        List<KnowledgeFolder> knowledgeFolders,
        Path indexDirectory,
        IndexSettings index,
        FetchSettings fetch,
        URI arxivApi,
        CodingLimits coding,
        int maxConcurrentRuns) {

    public AgentSettings {
        knowledgeFolders = List.copyOf(knowledgeFolders);
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(fetch, "fetch");
        Objects.requireNonNull(arxivApi, "arxivApi");
        Objects.requireNonNull(coding, "coding");
        if (maxConcurrentRuns < 1) {
            throw new IllegalArgumentException("agents.max_concurrent_runs is " + maxConcurrentRuns
                    + ": it must be 1 or more");
        }
    }

    public Optional<ModelSettings> modelSettings() {
        return Optional.ofNullable(model);
    }
}
