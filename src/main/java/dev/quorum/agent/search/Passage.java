package dev.quorum.agent.search;

/**
 * A piece of a file that matched a search.
 *
 * @param path      folder name and path inside it, e.g. {@code docs/guide.md}
 * @param title     the file's first Markdown heading, else its file name
 * @param startLine first line of the passage, from 1
 * @param endLine   last line of the passage
 * @param text      the passage
 * @param score     BM25 score, higher is better; only comparable within one search
 */
public record Passage(String path, String title, int startLine, int endLine, String text, float score) {

    /** Where the passage is, e.g. {@code docs/guide.md:12-40}. */
    public String locator() {
        return path + ":" + startLine + "-" + endLine;
    }
}
