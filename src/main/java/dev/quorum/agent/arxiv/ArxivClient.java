package dev.quorum.agent.arxiv;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Searches the arXiv API ({@code GET <base>?search_query=...&max_results=N}, Atom XML). Plain words become
 * {@code all:w1 AND all:w2}; a query already using arXiv syntax ({@code ti:}, {@code au:}, {@code AND}) is passed
 * as is. Safe for concurrent use; blocking.
 */
public final class ArxivClient {

    /** The public API endpoint. */
    public static final URI DEFAULT_API = URI.create("https://export.arxiv.org/api/query");

    private static final Pattern ARXIV_SYNTAX = Pattern.compile("\\b(ti|au|abs|co|jr|cat|rn|id|all):|\\b(AND|OR|ANDNOT)\\b");
    private static final int MAX_FEED_BYTES = 2 * 1024 * 1024;

    private final HttpClient http;
    private final URI api;
    private final Duration timeout;
    private final int maxResults;
    private final ArxivAtomParser parser = new ArxivAtomParser();

    /**
     * @param api        the query endpoint, e.g. {@link #DEFAULT_API} or a local fake
     * @param maxResults entries asked for per search
     */
    public ArxivClient(HttpClient http, URI api, Duration timeout, int maxResults) {
        this.http = http;
        this.api = api;
        this.timeout = timeout;
        this.maxResults = maxResults;
    }

    /**
     * @throws IOException when arXiv cannot be reached, answers with an error status, or sends an unreadable feed
     */
    public List<ArxivEntry> search(String query) throws IOException {
        URI uri = URI.create(api + "?search_query=" + URLEncoder.encode(arxivQuery(query), StandardCharsets.UTF_8)
                + "&start=0&max_results=" + maxResults);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking arXiv", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("arXiv answered HTTP " + response.statusCode());
            }
            byte[] feed = body.readNBytes(MAX_FEED_BYTES);
            return parser.parse(new ByteArrayInputStream(feed));
        }
    }

    static String arxivQuery(String query) {
        String q = query.strip();
        if (ARXIV_SYNTAX.matcher(q).find()) {
            return q;
        }
        return Arrays.stream(q.split("\\s+"))
                .map(word -> word.replaceAll("[^\\p{L}\\p{N}.-]", ""))
                .filter(word -> !word.isEmpty())
                .map(word -> "all:" + word)
                .collect(Collectors.joining(" AND "));
    }
}
