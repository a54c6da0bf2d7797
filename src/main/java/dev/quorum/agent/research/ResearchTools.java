package dev.quorum.agent.research;

import dev.quorum.agent.arxiv.ArxivClient;
import dev.quorum.agent.loop.Toolbox;
import dev.quorum.agent.search.DocsIndex;
import dev.quorum.agent.web.UrlFetcher;
import java.util.List;

/**
 * The four research tools of one run, sharing its {@link SourceLedger}: {@code search_docs}, {@code read_file},
 * {@code fetch_url}, {@code search_arxiv}. The collaborators are shared by all runs and thread-safe; this object is
 * confined to its run.
 */
public final class ResearchTools {

    static final int MAX_PASSAGES = 5;
    static final int MAX_PASSAGE_CHARS = 1_600;
    static final int MAX_READ_BYTES = 64 * 1024;

    private final SourceLedger sources = new SourceLedger();
    private final Toolbox toolbox;

    public ResearchTools(DocsIndex index, KnowledgeFiles files, UrlFetcher fetcher, ArxivClient arxiv) {
        this.toolbox = new Toolbox(List.of(
                new SearchDocsTool(index, sources, MAX_PASSAGES, MAX_PASSAGE_CHARS),
                new ReadKnowledgeFileTool(files, sources, MAX_READ_BYTES),
                new FetchUrlTool(fetcher, sources),
                new SearchArxivTool(arxiv, sources)));
    }

    public Toolbox toolbox() {
        return toolbox;
    }

    public SourceLedger sources() {
        return sources;
    }
}
