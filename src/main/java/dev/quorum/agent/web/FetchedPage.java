package dev.quorum.agent.web;

import java.net.URI;

/**
 * A fetched page as text.
 *
 * @param uri       where the text came from, after same-host redirects
 * @param status    HTTP status
 * @param title     the HTML title, else the URI
 * @param text      the body as text (HTML stripped to its words)
 * @param truncated whether the body was longer than the size cap
 */
public record FetchedPage(URI uri, int status, String title, String text, boolean truncated) {
}
