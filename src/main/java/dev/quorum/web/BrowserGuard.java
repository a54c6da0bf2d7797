package dev.quorum.web;

import dev.quorum.config.HttpConfig;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The first handler of every request (SPEC §7): what any web page could otherwise make a
 * browser do to Quorum is refused before a route sees it, and every answer carries the headers
 * that keep browsers from framing, sniffing or caching it.
 *
 * <ul>
 *   <li>{@code Host} must be an address of this Quorum: localhost, 127.0.0.1 or [::1] on the bound
 *       port, the bind address itself, or {@code http.public_url}. A page whose own name was made
 *       to resolve to 127.0.0.1 (DNS rebinding) still sends its own name, and is refused (403).</li>
 *   <li>{@code Origin}, when sent, must be one of those addresses; {@code Origin: null} (sandboxed
 *       frames, {@code file:} pages, {@code data:} URLs) is refused too (403).</li>
 *   <li>A state-changing request (any method but GET, HEAD, OPTIONS) must say
 *       {@code Content-Type: application/json} (415). Browsers send JSON across origins only
 *       after a CORS preflight, which Quorum never answers, so a cross-site form, {@code text/plain}
 *       or multipart POST is stopped here even from a browser that sends no {@code Origin}.</li>
 *   <li>A {@code token} in the query string is refused (400): URLs end up in logs and histories.</li>
 * </ul>
 *
 * <p>Paths that endpoints declare {@linkplain HttpEndpoint#openPaths() open} (signed webhooks,
 * health probes) get the headers only. Thread-safe.
 */
final class BrowserGuard implements Handler<RoutingContext> {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Set<String> WILDCARDS = Set.of("", "0", "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0");

    private final HttpConfig http;
    private final IntSupplier port;
    private final Set<String> openPaths;

    /** @param port the port actually bound, read per request (it is known only once the server listens) */
    BrowserGuard(HttpConfig http, IntSupplier port, Set<String> openPaths) {
        this.http = http;
        this.port = port;
        this.openPaths = Set.copyOf(openPaths);
    }

    /** One address browsers may reach this Quorum at. */
    record Address(String scheme, String host, int port) {
        static int defaultPort(String scheme) {
            return "https".equals(scheme) ? 443 : 80;
        }

        /** An {@code Origin} header or URL base as an address; empty when it is not one. */
        static Optional<Address> parse(String url) {
            try {
                URI u = new URI(url);
                String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
                if (!("http".equals(scheme) || "https".equals(scheme)) || u.getHost() == null || u.getRawUserInfo() != null) {
                    return Optional.empty();
                }
                return Optional.of(new Address(scheme, u.getHost().toLowerCase(Locale.ROOT), u.getPort() == -1 ? defaultPort(scheme) : u.getPort()));
            } catch (java.net.URISyntaxException e) {
                return Optional.empty();
            }
        }

        /** A {@code Host} header names this address; without a port it means the scheme's default. */
        boolean hostIs(String name, int hostPort) {
            return host.equals(name) && (hostPort == -1 ? port == defaultPort(scheme) : port == hostPort);
        }
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        boolean api = ctx.normalizedPath().startsWith("/api/");
        ctx.addHeadersEndHandler(v -> secure(ctx.response(), api));
        if (openPaths.contains(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        List<Address> ours = addresses();
        List<String> hosts = req.headers().getAll("Host");
        String host = hosts.size() == 1 ? hosts.getFirst() : hosts.isEmpty() && req.authority() != null ? req.authority().toString() : null;
        if (host == null || !isOurs(host, ours)) {
            Json.error(ctx, 403, "refused: Host " + quoted(hosts.isEmpty() ? null : String.join(", ", hosts))
                    + " is not an address of this Quorum; use localhost, 127.0.0.1 or [::1] on port " + port.getAsInt()
                    + ", or the address in http.public_url");
            return;
        }
        List<String> origins = req.headers().getAll("Origin");
        if (!origins.isEmpty() && (origins.size() > 1 || Address.parse(origins.getFirst()).filter(ours::contains).isEmpty())) {
            Json.error(ctx, 403, "refused: Origin " + quoted(String.join(", ", origins)) + " is not this Quorum's page");
            return;
        }
        if (req.params().contains("token")) {
            Json.error(ctx, 400, "a token in the URL is refused (URLs end up in logs and histories); "
                    + "send it as Authorization: Bearer <token>, or log in");
            return;
        }
        if (!SAFE.contains(req.method()) && !isJson(req.headers().getAll("Content-Type"))) {
            Json.error(ctx, 415, "the body must be application/json");
            return;
        }
        ctx.next();
    }

    private static void secure(HttpServerResponse res, boolean api) {
        res.putHeader("X-Frame-Options", "DENY")
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cross-Origin-Opener-Policy", "same-origin")
                .putHeader("Cross-Origin-Resource-Policy", "same-origin");
        if (api) res.putHeader("Cache-Control", "no-store");
    }

    /** Loopback on the bound port, the bind address when it names one, and {@code http.public_url}. */
    private List<Address> addresses() {
        int p = port.getAsInt();
        List<Address> out = new ArrayList<>(List.of(new Address("http", "localhost", p), new Address("http", "127.0.0.1", p),
                new Address("http", "[::1]", p)));
        String bind = http.host().strip().toLowerCase(Locale.ROOT);
        if (!WILDCARDS.contains(bind)) {
            out.add(new Address("http", bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind, p));
        }
        if (http.publicUrl() != null) Address.parse(http.publicUrl()).ifPresent(out::add);
        return out;
    }

    /** {@code name[:port]} or {@code [v6]:port}, compared without case; anything malformed is not ours. */
    private static boolean isOurs(String host, List<Address> ours) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        String name = h;
        int hostPort = -1;
        if (colon > h.lastIndexOf(']')) {
            String digits = h.substring(colon + 1);
            if (!digits.matches("\\d{1,5}")) return false;
            name = h.substring(0, colon);
            hostPort = Integer.parseInt(digits);
        }
        if (name.isEmpty()) return false;
        String n = name;
        int hp = hostPort;
        return ours.stream().anyMatch(a -> a.hostIs(n, hp));
    }

    /** {@code application/json}, with parameters such as a charset; exactly one such header. */
    private static boolean isJson(List<String> contentTypes) {
        if (contentTypes.size() != 1) return false;
        String type = contentTypes.getFirst();
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).strip().equalsIgnoreCase("application/json");
    }

    private static String quoted(String value) {
        return value == null ? "(missing)" : '"' + value.replace("\"", "'") + '"';
    }
}
