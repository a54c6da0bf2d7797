package dev.quorum.github;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API v3 as a real server on 127.0.0.1, for Quorum's tests: the calls Quorum makes,
 * answered with GitHub's shapes and GitHub's errors, every request recorded. It holds a small
 * world: repositories, their pull requests, the statuses, check runs and comments posted. It
 * authenticates like GitHub: personal tokens it was told about, installation tokens it issued
 * (each expiring), and for {@code POST app/installations/{id}/access_tokens} a GitHub App JWT
 * whose RS256 signature it verifies with the app's public key, with GitHub's {@code iat}/{@code exp}
 * window and {@code iss}. Check runs, as on GitHub, only for installation tokens. State is
 * guarded by the fake's monitor (the handlers run on its event loop; tests call from their thread).
 */
final class FakeGitHub implements AutoCloseable {
    static final String MEDIA_TYPE = "application/vnd.github+json";
    static final String API_VERSION = "2022-11-28";

    /** One call as received: the path is below the API base, without a leading slash. */
    record Call(String method, String path, String query, MultiMap headers, JsonObject body, Instant at) {
        String header(String name) {
            return headers.get(name);
        }

        @Override
        public String toString() {
            return method + " /" + path + (query == null ? "" : "?" + query) + (body == null ? "" : " " + body.encode());
        }
    }

    /** A pull request in the fake's world; tests change it as someone on GitHub would. */
    static final class Pull {
        final int number;
        String headRef;
        String headSha;
        String baseRef;
        String baseSha;
        String state = "open";
        boolean merged;
        boolean draft;
        boolean mergeable = true;
        String author;
        String authorType = "User";
        String title;
        String body;
        String mergeCommit;

        Pull(int number, String headRef, String headSha, String baseRef, String baseSha, String author) {
            this.number = number;
            this.headRef = headRef;
            this.headSha = headSha;
            this.baseRef = baseRef;
            this.baseSha = baseSha;
            this.author = author;
        }
    }

    private record App(long id, PublicKey key, long installationId) {}

    private record Scripted(String method, Pattern path, int status, Map<String, String> headers, JsonObject body) {}

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Queue<Scripted> scripted = new ConcurrentLinkedQueue<>();
    private final Map<String, Map<Integer, Pull>> pulls = new LinkedHashMap<>();
    private final Map<String, List<JsonObject>> statuses = new LinkedHashMap<>();
    private final Map<String, List<JsonObject>> checkRuns = new LinkedHashMap<>();
    private final Map<String, List<JsonObject>> comments = new LinkedHashMap<>();
    private final Map<String, Boolean> personalTokens = new ConcurrentHashMap<>();
    /** Installation token to its expiry. */
    private final Map<String, Instant> installationTokens = new ConcurrentHashMap<>();
    private final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    private volatile App app;
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private int nextNumber = 100;
    private long nextId = 1000;

    FakeGitHub() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The API base, with the trailing slash Quorum expects ({@code GITHUB_API_URL}). */
    String apiUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/";
    }

    void acceptToken(String token) {
        personalTokens.put(token, true);
    }

    /** Registers a GitHub App (its public key) and one installation of it. */
    void registerApp(long appId, PublicKey key, long installationId) {
        app = new App(appId, key, installationId);
    }

    /** How long installation tokens issued from now on last (GitHub: one hour). */
    void tokenLifetime(Duration lifetime) {
        tokenLifetime = lifetime;
    }

    /** Every installation token issued, in order. */
    List<String> issuedTokens() {
        return List.copyOf(issuedTokens);
    }

    /** Revokes an installation token, as {@code DELETE /installation/token} would. */
    void revoke(String token) {
        installationTokens.remove(token);
    }

    synchronized void addRepo(String owner, String repo) {
        pulls.putIfAbsent(owner + "/" + repo, new LinkedHashMap<>());
    }

    synchronized Pull addPull(String owner, String repo, int number, String headRef, String headSha, String baseRef, String baseSha, String author) {
        Pull p = new Pull(number, headRef, headSha, baseRef, baseSha, author);
        pulls.computeIfAbsent(owner + "/" + repo, k -> new LinkedHashMap<>()).put(number, p);
        return p;
    }

    /** Changes a pull request, as a push or a person on GitHub would. */
    synchronized void change(String owner, String repo, int number, java.util.function.Consumer<Pull> change) {
        change.accept(pulls.get(owner + "/" + repo).get(number));
    }

    synchronized Optional<Pull> pull(String owner, String repo, int number) {
        return Optional.ofNullable(pulls.getOrDefault(owner + "/" + repo, Map.of()).get(number));
    }

    synchronized List<JsonObject> statuses(String owner, String repo, String sha) {
        return List.copyOf(statuses.getOrDefault(owner + "/" + repo + "@" + sha, List.of()));
    }

    synchronized List<JsonObject> checkRuns(String owner, String repo) {
        return List.copyOf(checkRuns.getOrDefault(owner + "/" + repo, List.of()));
    }

    synchronized List<JsonObject> comments(String owner, String repo, int number) {
        return List.copyOf(comments.getOrDefault(owner + "/" + repo + "#" + number, List.of()));
    }

    /** The next call matching {@code method} and the path pattern gets this answer instead (a rate limit, an outage). */
    void script(String method, String pathRegex, int status, Map<String, String> headers, JsonObject body) {
        scripted.add(new Scripted(method, Pattern.compile(pathRegex), status, headers, body));
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> calls(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return calls.stream().filter(c -> c.method().equals(method) && p.matcher(c.path()).matches()).toList();
    }

    static String sha() {
        byte[] b = new byte[20];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    // ---- the server ----

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(buffer -> {
            String path = req.path().startsWith("/") ? req.path().substring(1) : req.path();
            JsonObject body = null;
            boolean badJson = false;
            if (buffer.length() > 0) {
                try {
                    body = buffer.toJsonObject();
                } catch (DecodeException | ClassCastException e) {
                    badJson = true;
                }
            }
            calls.add(new Call(req.method().name(), path, req.query(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body, Instant.now()));
            Answer a;
            if (badJson) {
                a = error(400, "Problems parsing JSON");
            } else {
                JsonObject given = body == null ? new JsonObject() : body;
                a = scriptedFor(req.method().name(), path).orElseGet(() -> route(req, path, given));
            }
            var res = req.response().setStatusCode(a.status).putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader("X-GitHub-Media-Type", "github.v3; format=json");
            a.headers.forEach(res::putHeader);
            res.end(a.body == null ? "" : a.body.toString());
        });
    }

    private record Answer(int status, Map<String, String> headers, Object body) {}

    private static Answer ok(int status, Object body) {
        return new Answer(status, Map.of(), body);
    }

    private static Answer error(int status, String message) {
        return new Answer(status, Map.of(), new JsonObject().put("message", message)
                .put("documentation_url", "https://docs.github.com/rest").put("status", String.valueOf(status)));
    }

    private Optional<Answer> scriptedFor(String method, String path) {
        for (Scripted s : scripted) {
            if (s.method().equals(method) && s.path().matcher(path).matches() && scripted.remove(s)) {
                return Optional.of(new Answer(s.status(), s.headers(), s.body()));
            }
        }
        return Optional.empty();
    }

    private static final Pattern REPO = Pattern.compile("repos/([^/]+)/([^/]+)(/.*)?");
    private static final Pattern ACCESS_TOKENS = Pattern.compile("app/installations/(\\d+)/access_tokens");

    private Answer route(HttpServerRequest req, String path, JsonObject body) {
        if (!MEDIA_TYPE.equals(req.getHeader("Accept"))) return error(415, "Unsupported Accept header; use " + MEDIA_TYPE);
        if (!API_VERSION.equals(req.getHeader("X-GitHub-Api-Version"))) return error(400, "Unsupported API version");
        if (req.getHeader("User-Agent") == null) return error(403, "Request forbidden by administrative rules. Please make sure your request has a User-Agent header");
        Matcher tokens = ACCESS_TOKENS.matcher(path);
        if (tokens.matches() && req.method().name().equals("POST")) return accessToken(req, Long.parseLong(tokens.group(1)));
        String who = bearer(req);
        boolean installation = who != null && installationTokens.containsKey(who) && installationTokens.get(who).isAfter(Instant.now());
        if (!installation && (who == null || !personalTokens.containsKey(who))) return error(401, "Bad credentials");
        Matcher m = REPO.matcher(path);
        if (!m.matches()) return error(404, "Not Found");
        synchronized (this) {
            return repoCall(req.method().name(), m.group(1) + "/" + m.group(2), m.group(3) == null ? "" : m.group(3), body, installation, req);
        }
    }

    private static String bearer(HttpServerRequest req) {
        String auth = req.getHeader("Authorization");
        if (auth == null) return null;
        if (auth.startsWith("Bearer ")) return auth.substring(7);
        if (auth.startsWith("token ")) return auth.substring(6);
        return null;
    }

    private Answer accessToken(HttpServerRequest req, long installationId) {
        App a = app;
        String jwt = bearer(req);
        if (a == null || jwt == null) return error(401, "A JSON web token could not be decoded");
        Optional<String> problem = jwtProblem(jwt, a);
        if (problem.isPresent()) return error(401, problem.get());
        if (installationId != a.installationId()) return error(404, "Not Found");
        String token = "ghs_" + UUID.randomUUID().toString().replace("-", "");
        Instant expires = Instant.now().plus(tokenLifetime).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        installationTokens.put(token, expires);
        issuedTokens.add(token);
        return ok(201, new JsonObject().put("token", token).put("expires_at", expires.toString())
                .put("permissions", new JsonObject().put("contents", "write").put("pull_requests", "write")
                        .put("checks", "write").put("statuses", "write").put("issues", "write").put("metadata", "read"))
                .put("repository_selection", "selected"));
    }

    /** GitHub's checks of an App JWT, with its messages. */
    private static Optional<String> jwtProblem(String jwt, App app) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) return Optional.of("A JSON web token could not be decoded");
        JsonObject header;
        JsonObject claims;
        try {
            header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return Optional.of("A JSON web token could not be decoded");
        }
        if (!"RS256".equals(header.getString("alg"))) return Optional.of("'Algorithm' must be RS256");
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(app.key());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) return Optional.of("A JSON web token could not be decoded");
        } catch (Exception e) {
            return Optional.of("A JSON web token could not be decoded");
        }
        long now = Instant.now().getEpochSecond();
        Object iss = claims.getValue("iss");
        if (iss == null || !String.valueOf(iss).equals(String.valueOf(app.id()))) return Optional.of("'Issuer' claim ('iss') must be an Integer");
        Long iat = claims.getLong("iat");
        Long exp = claims.getLong("exp");
        if (iat == null || iat > now + 5) return Optional.of("'Issued at' claim ('iat') must be an Integer representing a time in the past");
        if (exp == null || exp <= now) return Optional.of("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
        if (exp - Math.max(iat, now - 60) > 600) return Optional.of("'Expiration time' claim ('exp') is too far in the future");
        return Optional.empty();
    }

    private Answer repoCall(String method, String repo, String rest, JsonObject body, boolean installation, HttpServerRequest req) {
        Map<Integer, Pull> prs = pulls.get(repo);
        if (prs == null) return error(404, "Not Found");
        String owner = repo.substring(0, repo.indexOf('/'));
        Matcher pr;
        if (rest.isEmpty() && method.equals("GET")) {
            return ok(200, new JsonObject().put("full_name", repo).put("name", repo.substring(owner.length() + 1))
                    .put("clone_url", "https://github.example/" + repo + ".git").put("default_branch", "main").put("private", true));
        }
        if (rest.equals("/pulls") && method.equals("GET")) {
            String head = req.getParam("head");
            String base = req.getParam("base");
            String state = req.getParam("state") == null ? "open" : req.getParam("state");
            JsonArray out = new JsonArray();
            prs.values().stream().filter(p -> state.equals("all") || p.state.equals(state))
                    .filter(p -> head == null || head.equals(owner + ":" + p.headRef))
                    .filter(p -> base == null || base.equals(p.baseRef)).forEach(p -> out.add(json(repo, p)));
            return ok(200, out);
        }
        if (rest.equals("/pulls") && method.equals("POST")) {
            String head = body.getString("head");
            String base = body.getString("base");
            if (head == null || base == null || body.getString("title") == null) return error(422, "Validation Failed");
            if (prs.values().stream().anyMatch(p -> p.state.equals("open") && p.headRef.equals(head) && p.baseRef.equals(base))) {
                return error(422, "A pull request already exists for " + owner + ":" + head + ".");
            }
            Pull p = new Pull(nextNumber++, head, sha(), base, sha(), installation ? "quorum[bot]" : "quorum-user");
            p.authorType = installation ? "Bot" : "User";
            p.draft = body.getBoolean("draft", false);
            p.title = body.getString("title");
            p.body = body.getString("body");
            prs.put(p.number, p);
            return ok(201, json(repo, p));
        }
        if ((pr = Pattern.compile("/pulls/(\\d+)(/merge)?").matcher(rest)).matches()) {
            Pull p = prs.get(Integer.parseInt(pr.group(1)));
            if (p == null) return error(404, "Not Found");
            if (pr.group(2) == null && method.equals("GET")) return ok(200, json(repo, p));
            if (pr.group(2) == null && method.equals("PATCH")) {
                if (body.containsKey("title")) p.title = body.getString("title");
                if (body.containsKey("body")) p.body = body.getString("body");
                if (body.containsKey("base")) p.baseRef = body.getString("base");
                if (body.containsKey("state")) p.state = body.getString("state");
                return ok(200, json(repo, p));
            }
            if (pr.group(2) != null && method.equals("PUT")) return merge(p, body);
        }
        if ((pr = Pattern.compile("/statuses/([0-9a-f]{40})").matcher(rest)).matches() && method.equals("POST")) {
            String state = body.getString("state");
            if (!List.of("error", "failure", "pending", "success").contains(state)) return error(422, "Validation Failed");
            String description = body.getString("description");
            if (description != null && description.length() > 140) return error(422, "Validation Failed: description is too long (maximum is 140 characters)");
            JsonObject status = body.copy().put("id", nextId++);
            statuses.computeIfAbsent(repo + "@" + pr.group(1), k -> new ArrayList<>()).add(status);
            return ok(201, status);
        }
        if (rest.equals("/check-runs") && method.equals("POST")) {
            if (!installation) return error(403, "Resource not accessible by personal access token");
            if (body.getString("name") == null || body.getString("head_sha") == null) return error(422, "Validation Failed");
            JsonObject run = body.copy().put("id", nextId++);
            checkRuns.computeIfAbsent(repo, k -> new ArrayList<>()).add(run);
            return ok(201, run);
        }
        if ((pr = Pattern.compile("/issues/(\\d+)/comments").matcher(rest)).matches() && method.equals("POST")) {
            int n = Integer.parseInt(pr.group(1));
            if (!prs.containsKey(n)) return error(404, "Not Found");
            if (body.getString("body") == null) return error(422, "Validation Failed");
            long id = nextId++;
            JsonObject c = new JsonObject().put("id", id).put("body", body.getString("body"))
                    .put("html_url", "https://github.example/" + repo + "/pull/" + n + "#issuecomment-" + id);
            comments.computeIfAbsent(repo + "#" + n, k -> new ArrayList<>()).add(c);
            return ok(201, c);
        }
        return error(404, "Not Found");
    }

    /** GitHub's merge endpoint: 405 when it cannot merge, 409 when {@code sha} is not the head, 422 for a bad method. */
    private static Answer merge(Pull p, JsonObject body) {
        String method = body.getString("merge_method", "merge");
        if (!List.of("merge", "squash", "rebase").contains(method)) return error(422, "Validation Failed");
        if (p.merged || !p.state.equals("open") || p.draft || !p.mergeable) return error(405, "Pull Request is not mergeable");
        String sha = body.getString("sha");
        if (sha != null && !sha.equals(p.headSha)) return error(409, "Head branch was modified. Review and try the merge again.");
        p.merged = true;
        p.state = "closed";
        p.mergeCommit = sha();
        p.baseSha = p.mergeCommit;
        return ok(200, new JsonObject().put("sha", p.mergeCommit).put("merged", true).put("message", "Pull Request successfully merged"));
    }

    private static JsonObject json(String repo, Pull p) {
        return new JsonObject().put("number", p.number).put("state", p.state).put("merged", p.merged).put("draft", p.draft)
                .put("title", p.title).put("body", p.body).put("merge_commit_sha", p.mergeCommit)
                .put("html_url", "https://github.example/" + repo + "/pull/" + p.number)
                .put("user", new JsonObject().put("login", p.author).put("type", p.authorType))
                .put("head", new JsonObject().put("ref", p.headRef).put("sha", p.headSha).put("repo", new JsonObject().put("full_name", repo)))
                .put("base", new JsonObject().put("ref", p.baseRef).put("sha", p.baseSha).put("repo", new JsonObject().put("full_name", repo)));
    }
}
