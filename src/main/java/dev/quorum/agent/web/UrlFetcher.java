package dev.quorum.agent.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches web pages for the research agent, only from allowlisted hosts: http or https, exact host match, no user
 * info in the URL, redirects followed by hand and only to the same host, body cut at a size cap, a timeout per
 * request. HTML becomes plain text; other non-text types are refused.
 *
 * <p>Safe for concurrent use (the JDK {@link HttpClient} is). Blocking: meant for virtual threads.
 */
public final class UrlFetcher {

    private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([\\w.:-]+)");

    private final HttpClient http;
    private final FetchSettings settings;

    public UrlFetcher(HttpClient http, FetchSettings settings) {
        this.http = http;
        this.settings = settings;
    }

    /** A fetcher with its own HTTP client that never follows redirects by itself. */
    public static UrlFetcher create(FetchSettings settings) {
        return new UrlFetcher(HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.timeout())
                .build(), settings);
    }

    /**
     * @throws FetchRefusedException when a rule forbids the URL or a redirect
     * @throws IOException           when the host cannot be reached, times out, or answers with a non-text body
     */
    public FetchedPage fetch(String url) throws FetchRefusedException, IOException {
        URI uri = check(url);
        for (int redirects = 0; ; redirects++) {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(settings.timeout())
                    .header("User-Agent", "Quorum research agent")
                    .header("Accept", "text/html, text/plain, application/json;q=0.9, */*;q=0.1")
                    .GET().build();
            HttpResponse<InputStream> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching " + uri, e);
            }
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                response.body().close();
                URI next = redirectTarget(uri, response.headers().firstValue("Location").get());
                if (redirects >= settings.maxRedirects()) {
                    throw new FetchRefusedException(url + " redirects more than " + settings.maxRedirects() + " times.");
                }
                uri = next;
                continue;
            }
            return page(uri, response);
        }
    }

    private URI check(String url) throws FetchRefusedException {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw new FetchRefusedException("'" + url + "' is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchRefusedException("Only http and https URLs can be fetched, not '" + url + "'.");
        }
        if (uri.getRawUserInfo() != null) {
            throw new FetchRefusedException("URLs with a user name or password are not fetched.");
        }
        if (!settings.allows(uri.getHost())) {
            throw new FetchRefusedException("The host '" + uri.getHost() + "' is not on Quorum's allowlist for "
                    + "fetch_url, so it was not fetched. Allowed hosts: "
                    + (settings.allowedHosts().isEmpty() ? "none" : String.join(", ",
                    settings.allowedHosts().stream().sorted().toList())) + ".");
        }
        return uri;
    }

    private URI redirectTarget(URI from, String location) throws FetchRefusedException {
        URI target;
        try {
            target = from.resolve(new URI(location.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchRefusedException(from + " redirects to an invalid URL.");
        }
        if (target.getHost() == null || !target.getHost().equalsIgnoreCase(from.getHost())) {
            throw new FetchRefusedException(from + " redirects to another host (" + target.getHost()
                    + "); redirects are only followed on the same host.");
        }
        return check(target.toString());
    }

    private FetchedPage page(URI uri, HttpResponse<InputStream> response) throws IOException {
        String contentType = response.headers().firstValue("Content-Type").orElse("text/plain")
                .toLowerCase(Locale.ROOT);
        boolean html = contentType.contains("html");
        boolean textual = html || contentType.startsWith("text/") || contentType.contains("json")
                || contentType.contains("xml");
        byte[] body;
        try (InputStream in = response.body()) {
            if (!textual) {
                throw new IOException(uri + " is " + contentType + ", not text; only text and HTML pages are read.");
            }
            body = in.readNBytes(settings.maxBytes() + 1);
        }
        boolean truncated = body.length > settings.maxBytes();
        String raw = new String(body, 0, Math.min(body.length, settings.maxBytes()), charset(contentType));
        String title = html ? HtmlText.title(raw).orElse(uri.toString()) : uri.toString();
        return new FetchedPage(uri, response.statusCode(), title, html ? HtmlText.text(raw) : raw, truncated);
    }

    private static Charset charset(String contentType) {
        Matcher m = CHARSET.matcher(contentType);
        if (m.find()) {
            try {
                return Charset.forName(m.group(1));
            } catch (IllegalArgumentException unknown) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }
}
