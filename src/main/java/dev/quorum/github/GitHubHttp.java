package dev.quorum.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * GitHub's REST v3 over the JDK's HTTP client: the media type and API version every call
 * carries, JSON both ways, and GitHub's rate limits. A primary limit (403/429 with
 * {@code x-ratelimit-remaining: 0}) waits until {@code x-ratelimit-reset}; a secondary limit waits
 * {@code retry-after}, or a minute when GitHub names no time (its documented advice). A wait longer
 * than {@link #maxWait}, or a third limit in a row, ends the call with a {@link GitHubException}
 * saying when to try again. Blocking: call from virtual threads. Thread-safe.
 */
final class GitHubHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_ATTEMPTS = 3;
    private static final Duration SECONDARY_DEFAULT = Duration.ofMinutes(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One answer: status and JSON body (missing when there was none). */
    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** GitHub's {@code message}, cut short: it goes into errors shown to people. */
        String message() {
            String m = body.path("message").asText("");
            return m.length() > 300 ? m.substring(0, 300) + "…" : m;
        }
    }

    private final URI base;
    private final HttpClient client;
    private final Clock clock;
    private final Duration maxWait;

    GitHubHttp(String apiUrl, Clock clock, Duration maxWait) {
        this.base = URI.create(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        this.clock = clock;
        this.maxWait = maxWait;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * @param path          below the API base, without a leading slash ({@code repos/o/r/pulls/1})
     * @param authorization the whole header value ({@code Bearer ...})
     * @param body          JSON to send, or {@code null}
     */
    Answer call(String method, String path, String authorization, JsonNode body) {
        for (int attempt = 1; ; attempt++) {
            Answer answer = once(method, path, authorization, body);
            Optional<Duration> limited = rateLimitWait(answer);
            if (limited.isEmpty()) return answer;
            Duration wait = limited.get();
            if (attempt >= MAX_ATTEMPTS || wait.compareTo(maxWait) > 0) {
                throw new GitHubException(answer.status(), "GitHub rate-limited " + method + " /" + path
                        + "; try again in " + Math.max(1, wait.toSeconds()) + " s");
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GitHubException(0, "interrupted while waiting out GitHub's rate limit on " + method + " /" + path);
            }
        }
    }

    private Answer once(String method, String path, String authorization, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "Quorum")
                .header("Authorization", authorization);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GitHubException(0, "GitHub could not be reached for " + method + " /" + path + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException(0, "interrupted while calling GitHub: " + method + " /" + path);
        }
        return new Answer(response.statusCode(), parse(response.body()), response);
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) return MissingNode.getInstance();
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** How long GitHub asks Quorum to wait, when this answer is a rate limit. */
    private Optional<Duration> rateLimitWait(Answer answer) {
        if (answer.status() != 403 && answer.status() != 429) return Optional.empty();
        var headers = answer.raw().headers();
        Optional<Duration> retryAfter = headers.firstValue("retry-after").flatMap(GitHubHttp::seconds);
        if (retryAfter.isPresent()) return retryAfter;
        if (headers.firstValue("x-ratelimit-remaining").filter("0"::equals).isPresent()) {
            Optional<Long> reset = headers.firstValue("x-ratelimit-reset").flatMap(v -> seconds(v).map(Duration::toSeconds));
            long now = clock.instant().getEpochSecond();
            return Optional.of(reset.map(r -> Duration.ofSeconds(Math.max(1, r - now + 1))).orElse(SECONDARY_DEFAULT));
        }
        boolean secondary = answer.message().toLowerCase(java.util.Locale.ROOT).contains("rate limit");
        return answer.status() == 429 || secondary ? Optional.of(SECONDARY_DEFAULT) : Optional.empty();
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
