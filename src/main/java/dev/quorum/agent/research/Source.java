package dev.quorum.agent.research;

/**
 * Something a tool returned during one research run, numbered so the report can cite it as {@code [n]}.
 *
 * @param number  1, 2, 3... in the order tools first returned them
 * @param kind    what sort of source it is
 * @param locator where it is: {@code docs/guide.md:1-30}, {@code docs/guide.md}, a URL, an arXiv abstract URL
 * @param title   a human title
 */
public record Source(int number, Kind kind, String locator, String title) {

    public enum Kind { DOCUMENT_PASSAGE, FILE, WEB_PAGE, PAPER }

    /** "[3] docs/guide.md:1-30 — Deploying Quorum". */
    public String line() {
        return "[" + number + "] " + locator + (title == null || title.isBlank() || title.equals(locator)
                ? "" : " — " + title);
    }
}
