package dev.quorum.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.store.Redis;
import dev.quorum.web.Blocking;
import dev.quorum.web.HttpEndpoint;
import dev.quorum.web.Json;
import io.lettuce.core.SetArgs;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /github/webhook} (SPEC §7): GitHub's webhook deliveries. The raw body (at most
 * {@link #MAX_BODY}) is authenticated first: {@code X-Hub-Signature-256} must be the HMAC-SHA256
 * of exactly those bytes with {@code github.webhook_secret}, compared in constant time; anything
 * else is 401 and nothing is parsed or stored. Then the JSON is read (unreadable: 400), events of
 * no use are answered 200 and dropped, and a useful one is claimed in Redis ({@code SET NX}, kept
 * {@link #REMEMBER}) by its {@code X-GitHub-Delivery} and by the SHA-256 of its body, so that a
 * redelivery reaches {@link GitHubEvents} at most once across instances. The body's claim is there
 * because GitHub signs the body only: a captured delivery replayed under a new delivery id (or
 * another {@code X-GitHub-Event}) carries a valid signature, and is refused as the duplicate it is.
 */
final class GitHubWebhook implements HttpEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(GitHubWebhook.class);
    static final String PATH = "/github/webhook";
    /** GitHub caps payloads at 25 MB, but those Quorum reads (a PR, a comment, a push) are far smaller. */
    static final long MAX_BODY = 4L * 1024 * 1024;
    /** Longer than GitHub offers redelivery of a failed delivery (3 days). */
    static final Duration REMEMBER = Duration.ofDays(7);
    static final String KEY_PREFIX = "{q}:github:delivery:";
    static final String BODY_PREFIX = "{q}:github:body:";
    private static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern EVENT = Pattern.compile("[a-z_]{1,64}");

    private final SecretKeySpec key;
    private final Redis redis;
    private final WebhookPayloads payloads;
    private final GitHubEvents events;

    GitHubWebhook(String secret, Redis redis, Map<String, String> repos, GitHubEvents events) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.redis = redis;
        this.payloads = new WebhookPayloads(repos);
        this.events = events;
    }

    /** GitHub calls from its own addresses and signs every delivery; the signature is checked here. */
    @Override
    public Set<String> openPaths() {
        return Set.of(PATH);
    }

    @Override
    public void mount(Router router) {
        router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        byte[] raw = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (!signed(raw, ctx.request().getHeader("X-Hub-Signature-256"))) {
            LOG.warn("GitHub webhook: refused a delivery with a missing or wrong X-Hub-Signature-256 from {}",
                    ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().host());
            Json.error(ctx, 401, "missing or wrong X-Hub-Signature-256");
            return;
        }
        String type = ctx.request().getHeader("X-GitHub-Event");
        String delivery = ctx.request().getHeader("X-GitHub-Delivery");
        if (type == null || !EVENT.matcher(type).matches() || delivery == null || !DELIVERY.matcher(delivery).matches()) {
            Json.error(ctx, 400, "X-GitHub-Event and X-GitHub-Delivery are required");
            return;
        }
        if (type.equals("ping")) {
            Json.send(ctx, 200, Map.of("ok", true));
            return;
        }
        JsonNode payload;
        try {
            payload = GitHubHttp.JSON.readTree(raw);
        } catch (IOException e) {
            payload = null;
        }
        if (payload == null || !payload.isObject()) {
            Json.error(ctx, 400, "the body is not a JSON object");
            return;
        }
        switch (payloads.read(type, delivery, payload)) {
            case WebhookPayloads.Reading.Ignored ignored -> {
                LOG.debug("GitHub webhook: delivery {} ({}) ignored: {}", delivery, type, ignored.why());
                Json.send(ctx, 200, Map.of("ignored", ignored.why()));
            }
            case WebhookPayloads.Reading.Accepted accepted -> Blocking.run(ctx.vertx(), () -> deliver(accepted.event(), sha256(raw)))
                    .onSuccess(first -> Json.send(ctx, 200, Map.of(first ? "accepted" : "duplicate", true)))
                    .onFailure(e -> {
                        LOG.error("GitHub webhook: delivery {} ({}) failed; GitHub may deliver it again", delivery, type, e);
                        Json.error(ctx, 500, "internal error; the details are in Quorum's log");
                    });
        }
    }

    /** @return false when this delivery id was handled already */
    private boolean deliver(GitHubEvent event, String bodyDigest) throws Exception {
        String claim = KEY_PREFIX + event.delivery();
        if (!claimed(claim) || !claimed(BODY_PREFIX + bodyDigest)) return false;
        try {
            events.accept(event);
            return true;
        } catch (Exception | Error e) {
            redis.sync().del(claim, BODY_PREFIX + bodyDigest);
            throw e;
        }
    }

    private boolean claimed(String key) {
        return "OK".equals(redis.sync().set(key, "1", SetArgs.Builder.nx().ex(REMEMBER.toSeconds())));
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private boolean signed(byte[] body, String header) {
        if (header == null || !header.startsWith("sha256=")) return false;
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
        return MessageDigest.isEqual(expected, header.substring(7).getBytes(StandardCharsets.US_ASCII));
    }
}
