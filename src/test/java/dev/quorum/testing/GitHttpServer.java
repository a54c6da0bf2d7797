package dev.quorum.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real git server on 127.0.0.1 for tests: git's own smart-HTTP CGI ({@code git http-backend})
 * behind the JDK's HTTP server, serving the bare repositories in one folder at
 * {@code http://127.0.0.1:<port>/git/<name>.git}, push enabled. Every request needs HTTP Basic
 * auth: a known user with its password, or any user name with a known token as the password (as
 * GitHub takes {@code x-access-token:<token>}); anything else gets 401 with {@code WWW-Authenticate},
 * which is how git clients learn to send credentials.
 */
public final class GitHttpServer implements AutoCloseable {
    /** One request as received: what a test can check about how clients authenticated. */
    public record Request(String method, String path, String authorization, int status) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Path root;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final List<String> tokens = Collections.synchronizedList(new ArrayList<>());
    private volatile Predicate<String> validToken = token -> false;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger uploadPacks = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile String redirect;
    private final AtomicInteger mostInFlight = new AtomicInteger();

    /** Serves the bare repositories ({@code <name>.git} folders) under {@code root}. */
    public GitHttpServer(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/git/", this::handle);
        server.start();
    }

    /** Lets {@code user} in with {@code password}. */
    public GitHttpServer user(String user, String password) {
        passwords.put(user, password);
        return this;
    }

    /** Lets any user name in with {@code token} as the password. */
    public GitHttpServer token(String token) {
        tokens.add(token);
        return this;
    }

    /**
     * Lets any user name in with a password {@code valid} accepts now: tokens issued and expiring elsewhere, as
     * GitHub's git server takes the installation tokens its API minted while they last.
     */
    public GitHttpServer tokens(Predicate<String> valid) {
        validToken = valid;
        return this;
    }

    /** Answers every request with a redirect to the same path under {@code baseUrl} (an open redirect, a moved server). */
    public GitHttpServer redirectTo(String baseUrl) {
        redirect = baseUrl;
        return this;
    }

    /** Creates an empty bare repository {@code <name>.git} and returns its folder. */
    public Path createBare(String name) throws IOException, InterruptedException {
        Path dir = root.resolve(name + ".git");
        git(root, "init", "-q", "--bare", "-b", "main", dir.toString());
        return dir;
    }

    /** Where clients fetch {@code <name>.git} from (no credentials in it). */
    public String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/git/" + name + ".git";
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** How many fetches (upload-pack POSTs) clients have made: a test can see whether a fetch went out. */
    public int uploadPacks() {
        return uploadPacks.get();
    }

    /** The most requests that were being answered at the same time. */
    public int mostConcurrentRequests() {
        return mostInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Optional<String> user = authenticate(authorization);
            String path = exchange.getRequestURI().getRawPath().substring("/git".length());
            if (redirect != null) {
                String query = exchange.getRequestURI().getRawQuery();
                requests.add(new Request(exchange.getRequestMethod(), path, authorization, 302));
                exchange.getResponseHeaders().set("Location", redirect + path + (query == null ? "" : "?" + query));
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            if (user.isEmpty()) {
                requests.add(new Request(exchange.getRequestMethod(), path, authorization, 401));
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if (path.endsWith("/git-upload-pack")) uploadPacks.incrementAndGet();
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
            Runnable done = () -> {
                if (answered.compareAndSet(false, true)) inFlight.decrementAndGet();
            };
            int status;
            try {
                status = cgi(exchange, path, user.get(), done);
            } finally {
                done.run();
            }
            requests.add(new Request(exchange.getRequestMethod(), path, authorization, status));
        }
    }

    private Optional<String> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) return Optional.empty();
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        boolean known = password.equals(passwords.get(user)) || tokens.contains(password) || validToken.test(password);
        return known ? Optional.of(user) : Optional.empty();
    }

    /** Runs {@code git http-backend} as a CGI script for one request; returns the status it answered. */
    private int cgi(HttpExchange exchange, String pathInfo, String user, Runnable answered) throws IOException {
        // -c http.receivepack: push over HTTP is on for authenticated users (and said here, not left to a default)
        ProcessBuilder builder = new ProcessBuilder("git", "-c", "http.receivepack=true", "http-backend");
        Map<String, String> env = builder.environment();
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("REQUEST_METHOD", exchange.getRequestMethod());
        env.put("PATH_INFO", pathInfo);
        String query = exchange.getRequestURI().getRawQuery();
        env.put("QUERY_STRING", query == null ? "" : query);
        env.put("REMOTE_USER", user);
        env.put("REMOTE_ADDR", "127.0.0.1");
        copyHeader(exchange, "Content-Type", "CONTENT_TYPE", env);
        copyHeader(exchange, "Content-Length", "CONTENT_LENGTH", env);
        copyHeader(exchange, "Content-Encoding", "HTTP_CONTENT_ENCODING", env);
        copyHeader(exchange, "Git-Protocol", "GIT_PROTOCOL", env);
        Process process = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // The request body goes in on its own thread: http-backend may answer before it has read all of it.
        executor.submit(() -> {
            try (InputStream in = exchange.getRequestBody(); OutputStream out = process.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the backend stopped reading; its answer says why
            }
            return null;
        });
        try (InputStream out = process.getInputStream()) {
            int status = 200;
            for (String line = readLine(out); !line.isEmpty(); line = readLine(out)) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Status")) {
                    status = Integer.parseInt(value.split(" ")[0]);
                } else {
                    exchange.getResponseHeaders().add(name, value);
                }
            }
            exchange.sendResponseHeaders(status, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                out.transferTo(body);
            } finally {
                // answered once the last chunk is out: the client cannot send its next request before that
                answered.run();
            }
            process.waitFor();
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    private static void copyHeader(HttpExchange exchange, String header, String variable, Map<String, String> env) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) env.put(variable, value);
    }

    /** One CGI header line (ending in LF or CRLF), read byte by byte so the body after it stays in the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Runs the git CLI in {@code dir} (never prompting for credentials) and returns what it printed, trimmed. */
    public static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) throw new IOException(String.join(" ", args) + " failed: " + output);
        return output;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
