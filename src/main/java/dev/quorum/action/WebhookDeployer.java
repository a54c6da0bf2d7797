package dev.quorum.action;

import dev.quorum.repo.Sha;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.approval.ActionRecord;
import dev.quorum.config.EnvironmentConfig;
import dev.quorum.evidence.Redactor;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Request;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;

import java.util.Map;

/**
 * Deploys by telling a deployment system: {@code POST} of a JSON body, signed with HMAC-SHA256
 * over {@code <timestamp>.<body>} ({@code X-Quorum-Signature: sha256=<hex>}, timestamp in
 * {@code X-Quorum-Timestamp}), with {@code X-Quorum-Delivery: <request id>} so the receiver can
 * drop duplicates, and the environment lock's fencing token ({@code fence} in the body, {@code X-Quorum-Fence}) so
 * it can refuse a deploy from a holder older than one it has seen. 5xx, 408, 429 and network errors are retried with exponential backoff; other
 * 4xx are final. The receiver's answer is redacted before it is cut to {@value #MAX_ANSWER_CHARS}
 * characters for the summary and the output, so that a secret it echoes is not cut in two
 * halves that each look harmless. Thread-safe.
 */
public final class WebhookDeployer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Clock clock;
    static final int MAX_ANSWER_CHARS = 300;

    private final String version;
    private final Redactor redactor;

    public WebhookDeployer(Clock clock, String version, Redactor redactor) {
        this.clock = clock;
        this.version = version;
        this.redactor = redactor;
    }

    Execution deploy(Request r, ActionRecord a, EnvironmentConfig.Webhook hook, Duration timeout, long fence, Cancellation cancel)
            throws InterruptedException {
        var s = a.subject();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("request_id", r.id());
        payload.put("environment", s.target());
        payload.put("repo", s.repo());
        payload.put("ref", s.source());
        payload.put("sha", s.resultSha());
        payload.put("evidence_digest", s.evidenceDigest());
        payload.put("requested_by", r.requester().toString());
        payload.put("subject_digest", s.digest());
        payload.put("fence", fence); // in the signed body: a receiver can trust it and refuse one below the last it saw
        String body;
        try {
            body = JSON.writeValueAsString(payload);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Duration wait = hook.backoff();
        String last = "";
        int attempts = hook.retries() + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (cancel.isCancelled()) return new Execution.Failed("the webhook deployment was stopped: " + cancel.reason().orElse("cancelled") + ".", last);
            String timestamp = String.valueOf(clock.instant().getEpochSecond());
            HttpRequest request = HttpRequest.newBuilder(URI.create(hook.url())).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Quorum/" + version)
                    .header("X-Quorum-Event", "deploy")
                    .header("X-Quorum-Delivery", r.id())
                    .header("X-Quorum-Fence", String.valueOf(fence))
                    .header("X-Quorum-Timestamp", timestamp)
                    .header("X-Quorum-Signature", "sha256=" + sign(hook.secret(), timestamp + "." + body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
                last = "HTTP " + res.statusCode() + " " + abbreviate(res.body());
                int code = res.statusCode();
                if (code / 100 == 2) {
                    return new Execution.Done("the deployment webhook accepted " + new Sha(s.resultSha()).abbrev() + " for " + s.target()
                            + " (HTTP " + code + (attempt > 1 ? ", attempt " + attempt : "") + ").", abbreviate(res.body()));
                }
                if (code / 100 == 4 && code != 408 && code != 429) {
                    return new Execution.Failed("the deployment webhook refused it: " + last, "");
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + redactor.redact(e.getMessage()));
            }
            if (attempt < attempts) {
                Thread.sleep(wait);
                wait = wait.multipliedBy(2);
            }
        }
        return new Execution.Failed("the deployment webhook failed after " + attempts + (attempts == 1 ? " attempt" : " attempts") + "; last: " + last, "");
    }

    /** Lower-case hex HMAC-SHA256; what a receiver recomputes to trust the call. */
    public static String sign(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    private String abbreviate(String s) {
        String one = s == null ? "" : redactor.redact(s.strip());
        return one.length() > MAX_ANSWER_CHARS ? one.substring(0, MAX_ANSWER_CHARS) + "…" : one;
    }

}
