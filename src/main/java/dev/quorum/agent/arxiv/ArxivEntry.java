package dev.quorum.agent.arxiv;

import java.util.List;

/**
 * One paper from the arXiv API.
 *
 * @param id        the abstract page URL, e.g. {@code http://arxiv.org/abs/2101.00001v1}
 * @param title     title, whitespace collapsed
 * @param summary   abstract, whitespace collapsed
 * @param authors   author names in order
 * @param published publication timestamp as arXiv gives it, or empty
 */
public record ArxivEntry(String id, String title, String summary, List<String> authors, String published) {

    public ArxivEntry {
        authors = List.copyOf(authors);
    }
}
