package dev.quorum.config;

import java.util.List;

/**
 * What the research agent may read and fetch.
 *
 * @param folders    folders of team knowledge it searches and reads, each under a short name
 * @param indexRepos also search the files of every configured repo (their default branch)
 * @param fetchAllow host names {@code fetch_url} may fetch, matched exactly; empty: no web pages
 * @param arxivUrl   the arXiv query API {@code search_arxiv} uses
 * @param embeddings re-rank search results by meaning with the in-process embedding model (needs a
 *                   build with {@code -Pembeddings}; otherwise search stays lexical and the log says so)
 * @param indexDir   where the search index lives; relative paths are inside the data folder
 */
public record ResearchConfig(List<Folder> folders, Boolean indexRepos, List<String> fetchAllow, String arxivUrl,
                             Boolean embeddings, String indexDir) {
    public ResearchConfig {
        folders = folders == null ? List.of() : List.copyOf(folders);
        indexRepos = indexRepos == null || indexRepos;
        fetchAllow = fetchAllow == null ? List.of() : List.copyOf(fetchAllow);
        arxivUrl = arxivUrl == null ? "https://export.arxiv.org/api/query" : arxivUrl;
        embeddings = embeddings != null && embeddings;
        indexDir = indexDir == null || indexDir.isBlank() ? "index" : indexDir;
    }

    public static ResearchConfig defaults() {
        return new ResearchConfig(null, null, null, null, null, null);
    }

    /**
     * A folder of team knowledge.
     *
     * @param name what the agent calls it: file {@code guide.md} in folder {@code docs} is {@code docs/guide.md}
     * @param path the folder; relative paths are inside the data folder
     */
    public record Folder(String name, String path) {}
}
