package dev.quorum.github;

import dev.quorum.testing.GitHttpServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub as real servers on 127.0.0.1, for Quorum's tests: its REST API v3 (the calls Quorum makes, answered with
 * GitHub's shapes and errors, every request recorded) and, with {@link #withGit}, its git server (git's own smart HTTP,
 * {@link GitHttpServer}) holding real bare repositories. It authenticates like GitHub: personal tokens it was told about
 * ({@link #acceptToken}), installation tokens it minted (each expiring) for the API and for git as
 * {@code x-access-token:<token>}, and for {@code POST app/installations/{id}/access_tokens} a GitHub App JWT whose RS256
 * signature it verifies with the app's public key, with GitHub's {@code iat}/{@code exp} window and {@code iss}. Check
 * runs, as on GitHub, only for installation tokens.
 *
 * <h2>The test API (parts of issue 12 build their end-to-end tests on it; keep these names)</h2>
 * <pre>{@code
 * FakeGitHub github = FakeGitHub.withGit(tmp.resolve("github"));  // API + git server
 * github.acceptToken("github_pat_x");                               // or registerApp(id, publicKey, installationId)
 * github.webhook(quorumUrl + "/github/webhook", "hook-secret");     // where events are delivered, signed
 * FakeGitHub.Repo shop = github.createRepo("acme", "shop");        // bare repo, main = one commit (README.md)
 * String head = shop.pushTo("feature/x", Map.of("f.txt", "f\n"));  // someone pushes (branch starts at main)
 * int n = shop.openPull("feature/x", "main", "alice");              // a PR, refs/pull/n/head kept in the bare repo
 * int f = shop.openForkPull("mallory", "main", Map.of(...), "mallory"); // a fork's PR: commits only in refs/pull/f/head
 * shop.pushTo("feature/x", Map.of(...));                            // its head moves: webhook push + synchronize
 * shop.close(n); shop.comment(n, "bob", "/quorum approve R1"); shop.review(n, "bob", "approved", head);
 * shop.comments(n); shop.statuses(sha); shop.checkRuns(sha); shop.head("main"); shop.pull(n).merged;
 * github.calls("PUT", "repos/acme/shop/pulls/7/merge");            // what Quorum sent (method, path, headers, JSON body)
 * github.deliver("push", payload);                                  // any signed delivery by hand
 * github.clock(testClock); github.outage(true); github.tokenPrefix("v1.");   // GitHub's time, an API outage, token shape
 * }</pre>
 * Webhooks are delivered (signed with the secret, synchronously, on the test's thread) for what the test does through
 * {@link Repo}'s methods; what Quorum itself does (its pushes, merges through the API, comments) delivers nothing, so no
 * delivery ever races a test: {@link #deliver} GitHub's echo by hand when a test needs it. The merge API really merges in
 * the bare repository with the git CLI ({@code merge}: a merge commit; {@code squash}: one commit; {@code rebase}: the
 * head's commits rewritten onto the base) and answers 409 when {@code sha} is not the head, 405 when the pull request is
 * closed, a draft, in conflict or not {@code mergeable}. A pull request whose head lands in its base by a push (Quorum's
 * {@code landing: push}) reads as merged, as on GitHub.
 *
 * <p>State is guarded by the fake's monitor; API handlers run off the event loop (they may run git).
 */
public final class FakeGitHub implements AutoCloseable {
    public static final String MEDIA_TYPE = "application/vnd.github+json";
    public static final String API_VERSION = "2022-11-28";
    /** Who commits what GitHub writes (merges, squashes, rebases). */
    private static final String[] GITHUB_IDENTITY = {"-c", "user.name=GitHub", "-c", "user.email=noreply@github.com"};
    private static final String[] PERSON_IDENTITY = {"-c", "user.name=Someone", "-c", "user.email=someone@example.com"};

    /** One call as received: the path is below the API base, without a leading slash. */
    public record Call(String method, String path, String query, MultiMap headers, JsonObject body, Instant at) {
        public String header(String name) {
            return headers.get(name);
        }

        @Override
        public String toString() {
            return method + " /" + path + (query == null ? "" : "?" + query) + (body == null ? "" : " " + body.encode());
        }
    }

    /** One webhook delivery the fake made, and Quorum's answer. */
    public record Delivery(String event, String id, JsonObject payload, int status) {}

    /** A pull request in the fake's world; tests change it as someone on GitHub would ({@link #change}). */
    public static final class Pull {
        public final int number;
        public String headRef;
        public String headSha;
        /** {@code owner/repo} of the head branch: another repository for a fork. */
        public String headRepo;
        public String baseRef;
        public String baseSha;
        public String state = "open";
        public boolean merged;
        public boolean draft;
        public boolean mergeable = true;
        public String author;
        public String authorType = "User";
        public String title;
        public String body;
        public String mergeCommit;

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
    private final GitHttpServer git;
    private final Path gitRoot;
    private final HttpClient deliveryClient = HttpClient.newHttpClient();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Queue<Scripted> scripted = new ConcurrentLinkedQueue<>();
    private final Map<String, Map<Integer, Pull>> pulls = new LinkedHashMap<>();
    private final Map<String, Repo> repos = new LinkedHashMap<>();
    private final Map<String, List<JsonObject>> statuses = new LinkedHashMap<>();
    private final Map<String, List<JsonObject>> checkRuns = new LinkedHashMap<>();
    private final Map<String, List<JsonObject>> comments = new LinkedHashMap<>();
    private final Map<String, Boolean> personalTokens = new ConcurrentHashMap<>();
    /** Installation token to its expiry. */
    private final Map<String, Instant> installationTokens = new ConcurrentHashMap<>();
    private final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    private volatile App app;
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile String tokenPrefix = "ghs_";
    private volatile boolean outage;
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();
    private volatile String webhookUrl;
    private volatile String webhookSecret;
    private int nextNumber = 100;
    private long nextId = 1000;

    /** The API alone: repositories added with {@link #addRepo} have no git behind them. */
    public FakeGitHub() throws Exception {
        this(null);
    }

    private FakeGitHub(Path gitRoot) throws Exception {
        this.gitRoot = gitRoot;
        this.git = gitRoot == null ? null : new GitHttpServer(gitRoot).tokens(this::validToken);
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The API and a git server keeping real bare repositories under {@code root} ({@link #createRepo}). */
    public static FakeGitHub withGit(Path root) throws Exception {
        return new FakeGitHub(root);
    }

    /** The API base, with the trailing slash Quorum expects ({@code GITHUB_API_URL}). */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/";
    }

    /** The git server ({@link #withGit} only): what clients fetched, with which credentials. */
    public GitHttpServer git() {
        if (git == null) throw new IllegalStateException("a FakeGitHub without git: use FakeGitHub.withGit");
        return git;
    }

    /** A personal (fine-grained) token, for the API and for git. */
    public void acceptToken(String token) {
        personalTokens.put(token, true);
    }

    /** Registers a GitHub App (its public key) and one installation of it. */
    public void registerApp(long appId, PublicKey key, long installationId) {
        app = new App(appId, key, installationId);
    }

    /** How long installation tokens issued from now on last (GitHub: one hour). */
    public void tokenLifetime(Duration lifetime) {
        tokenLifetime = lifetime;
    }

    /**
     * How installation tokens issued from now on begin (GitHub: {@code ghs_}; GitHub Enterprise Server before 3.x and
     * older tokens: {@code v1.} and hex): a token Quorum must mask without knowing its shape.
     */
    public void tokenPrefix(String prefix) {
        tokenPrefix = prefix;
    }

    /** Every installation token issued, in order. */
    public List<String> issuedTokens() {
        return List.copyOf(issuedTokens);
    }

    /** Revokes an installation token, as {@code DELETE /installation/token} would. */
    public void revoke(String token) {
        installationTokens.remove(token);
    }

    /** Whether git and the API take {@code token} now: a personal token, or an installation token not expired or revoked. */
    public boolean validToken(String token) {
        if (personalTokens.containsKey(token)) return true;
        Instant expires = installationTokens.get(token);
        return expires != null && expires.isAfter(clock.instant());
    }

    /**
     * GitHub's clock (the real one by default): App JWTs are checked and installation tokens expire by it. Give it the
     * test's {@code TestClock} when the test moves Quorum's clock, so that Quorum and GitHub agree on the time.
     */
    public FakeGitHub clock(java.time.Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Where GitHub delivers webhook events, and the secret it signs them with ({@code X-Hub-Signature-256}). */
    public FakeGitHub webhook(String url, String secret) {
        webhookUrl = url;
        webhookSecret = secret;
        return this;
    }

    /**
     * One signed delivery of {@code event} with {@code payload} to {@link #webhook}'s URL, now, with a fresh
     * {@code X-GitHub-Delivery}; returns Quorum's answer (recorded in {@link #deliveries}).
     */
    public HttpResponse<String> deliver(String event, JsonObject payload) {
        String url = webhookUrl;
        if (url == null) throw new IllegalStateException("no webhook configured: call webhook(url, secret) first");
        byte[] body = payload.encode().getBytes(StandardCharsets.UTF_8);
        String id = GitHubDeliveries.newDelivery();
        try {
            HttpResponse<String> answer = GitHubDeliveries.post(deliveryClient, url,
                    GitHubDeliveries.headers(webhookSecret, event, id, body), body);
            deliveries.add(new Delivery(event, id, payload, answer.statusCode()));
            return answer;
        } catch (Exception e) {
            throw new IllegalStateException("delivering " + event + " to " + url + " failed", e);
        }
    }

    /** Every delivery made, in order. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /**
     * A repository with a real bare git repository behind it ({@link #withGit}): {@code main} has one commit
     * ({@code README.md}); its {@code clone_url} is the git server's.
     */
    public Repo createRepo(String owner, String name) throws IOException, InterruptedException {
        git();
        String full = owner + "/" + name;
        Path bare = git.createBare(full);
        GitHttpServer.git(bare, "config", "gc.auto", "0");
        Path work = gitRoot.resolve(".work").resolve(owner).resolve(name);
        Files.createDirectories(work);
        GitHttpServer.git(work, "init", "-q", "-b", "main");
        GitHttpServer.git(work, "remote", "add", "origin", bare.toString());
        Files.writeString(work.resolve("README.md"), full + "\n");
        GitHttpServer.git(work, "add", "-A");
        GitHttpServer.git(work, with(PERSON_IDENTITY, "commit", "-q", "-m", "initial commit"));
        GitHttpServer.git(work, "push", "-q", "origin", "HEAD:refs/heads/main");
        return register(new Repo(owner, name, bare, work));
    }

    /**
     * Serves the existing bare repository {@code bare} as {@code owner/name} (a link to it under the git root): for
     * fixtures that own their upstream, such as {@code RepoHostContract}'s.
     */
    public Repo adoptRepo(String owner, String name, Path bare) throws IOException, InterruptedException {
        git();
        String full = owner + "/" + name;
        Path served = gitRoot.resolve(full + ".git");
        Files.createDirectories(served.getParent());
        Files.createSymbolicLink(served, bare.toAbsolutePath());
        Path work = gitRoot.resolve(".work").resolve(owner).resolve(name);
        Files.createDirectories(work);
        GitHttpServer.git(work, "init", "-q", "-b", "main");
        GitHttpServer.git(work, "remote", "add", "origin", bare.toString());
        return register(new Repo(owner, name, bare, work));
    }

    private synchronized Repo register(Repo repo) {
        pulls.putIfAbsent(repo.fullName(), new LinkedHashMap<>());
        repos.put(repo.fullName(), repo);
        return repo;
    }

    /** The repository {@link #createRepo} made. */
    public synchronized Repo repo(String owner, String name) {
        Repo repo = repos.get(owner + "/" + name);
        if (repo == null) throw new IllegalArgumentException("no repository " + owner + "/" + name + " was created");
        return repo;
    }

    /** A repository of the API alone (no git behind it). */
    public synchronized void addRepo(String owner, String repo) {
        pulls.putIfAbsent(owner + "/" + repo, new LinkedHashMap<>());
    }

    /** A pull request of the API alone: its SHAs are whatever the test says. */
    public synchronized Pull addPull(String owner, String repo, int number, String headRef, String headSha, String baseRef, String baseSha, String author) {
        Pull p = new Pull(number, headRef, headSha, baseRef, baseSha, author);
        p.headRepo = owner + "/" + repo;
        pulls.computeIfAbsent(owner + "/" + repo, k -> new LinkedHashMap<>()).put(number, p);
        return p;
    }

    /** Changes a pull request, as a person on GitHub would (no webhook: {@link Repo}'s methods deliver them). */
    public synchronized void change(String owner, String repo, int number, Consumer<Pull> change) {
        change.accept(pulls.get(owner + "/" + repo).get(number));
    }

    public synchronized Optional<Pull> pull(String owner, String repo, int number) {
        String full = owner + "/" + repo;
        Pull p = pulls.getOrDefault(full, Map.of()).get(number);
        if (p != null) followGit(full, p);
        return Optional.ofNullable(p);
    }

    /** The commit statuses posted on {@code sha}, oldest first (each the JSON Quorum sent, with an {@code id}). */
    public synchronized List<JsonObject> statuses(String owner, String repo, String sha) {
        return List.copyOf(statuses.getOrDefault(owner + "/" + repo + "@" + sha, List.of()));
    }

    /** The check runs posted in the repository, oldest first (each the JSON Quorum sent, with an {@code id}). */
    public synchronized List<JsonObject> checkRuns(String owner, String repo) {
        return List.copyOf(checkRuns.getOrDefault(owner + "/" + repo, List.of()));
    }

    /**
     * The comments of pull request {@code number}, oldest first: {@code id}, {@code body}, {@code user.login} and
     * {@code user.type} ({@code Bot} for Quorum as an App), {@code html_url}; people's too ({@link Repo#comment}).
     */
    public synchronized List<JsonObject> comments(String owner, String repo, int number) {
        return comments.getOrDefault(owner + "/" + repo + "#" + number, List.of()).stream().map(JsonObject::copy).toList();
    }

    /** While on, every API call is answered {@code 503 Service Unavailable} (git still serves): GitHub's API is down. */
    public void outage(boolean on) {
        outage = on;
    }

    /** The next call matching {@code method} and the path pattern gets this answer instead (a rate limit, an outage). */
    public void script(String method, String pathRegex, int status, Map<String, String> headers, JsonObject body) {
        scripted.add(new Scripted(method, Pattern.compile(pathRegex), status, headers, body));
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls with {@code method} whose path (below the API base, no leading slash) matches {@code pathRegex}. */
    public List<Call> calls(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return calls.stream().filter(c -> c.method().equals(method) && p.matcher(c.path()).matches()).toList();
    }

    public static String sha() {
        byte[] b = new byte[20];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() throws Exception {
        try {
            if (git != null) git.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * One repository with git behind it, as the people around it use it: pushes, pull requests, comments, reviews. Each
     * change a person makes here is delivered as GitHub's webhook event when {@link #webhook} is set.
     */
    public final class Repo {
        private final String owner;
        private final String name;
        private final Path bare;
        private final Path work;

        private Repo(String owner, String name, Path bare, Path work) {
            this.owner = owner;
            this.name = name;
            this.bare = bare;
            this.work = work;
        }

        public String owner() {
            return owner;
        }

        public String name() {
            return name;
        }

        /** {@code owner/name}. */
        public String fullName() {
            return owner + "/" + name;
        }

        /** The bare repository on disk (the git server's copy). */
        public Path bare() {
            return bare;
        }

        /** Where git fetches it from ({@code GET /repos/{o}/{r}}'s {@code clone_url}). */
        public String cloneUrl() {
            return git.url(fullName());
        }

        /** Where {@code branch} points in the server's repository now. */
        public Optional<String> head(String branch) {
            return FakeGitHub.this.ref(bare, "refs/heads/" + branch);
        }

        /** {@link #pushTo(String, String, Map)} from {@code main}. */
        public String pushTo(String branch, Map<String, String> files) throws IOException, InterruptedException {
            return pushTo(branch, "main", files);
        }

        /**
         * Someone commits {@code files} on {@code branch} (a new branch starts at {@code from}'s head) and pushes, not
         * forced. Open pull requests from the branch follow ({@code refs/pull/<n>/head} too); webhooks {@code push} and,
         * for each such pull request, {@code pull_request synchronize}. Returns the new head.
         */
        public String pushTo(String branch, String from, Map<String, String> files) throws IOException, InterruptedException {
            GitHttpServer.git(work, "fetch", "-q", "--prune", "origin", "+refs/heads/*:refs/remotes/origin/*");
            String before = head(branch).orElse("0".repeat(40));
            String start = head(branch).isPresent() ? "origin/" + branch : "origin/" + from;
            GitHttpServer.git(work, "checkout", "-q", "-B", "quorum-fake-work", start);
            String sha = commit(files, "change " + String.join(", ", files.keySet()) + " on " + branch);
            GitHttpServer.git(work, "push", "-q", "origin", "HEAD:refs/heads/" + branch);
            List<Pull> moved = new ArrayList<>();
            synchronized (FakeGitHub.this) {
                for (Pull p : pulls.get(fullName()).values()) {
                    if (p.state.equals("open") && p.headRef.equals(branch) && fullName().equals(p.headRepo)) {
                        p.headSha = sha;
                        GitHttpServer.git(bare, "update-ref", "refs/pull/" + p.number + "/head", sha);
                        moved.add(p);
                    }
                }
            }
            deliverIfHooked("push", event().put("ref", "refs/heads/" + branch).put("before", before).put("after", sha)
                    .put("forced", false).put("pusher", new JsonObject().put("name", "someone")));
            for (Pull p : moved) deliverPull("synchronize", p);
            return sha;
        }

        /** A pull request from {@code head} (a branch of this repository) into {@code base}, opened by {@code author}; its number. */
        public int openPull(String head, String base, String author) throws IOException, InterruptedException {
            String sha = head(head).orElseThrow(() -> new IllegalArgumentException("no branch " + head));
            Pull p;
            synchronized (FakeGitHub.this) {
                p = newPull(fullName(), head, sha, base, author, false, "Change from " + head, "");
                p.headRepo = fullName();
            }
            deliverPull("opened", p);
            return p.number;
        }

        /**
         * A pull request from a fork ({@code forkOwner/name}, branch {@code patch-<n>}) into {@code base}: one commit of
         * {@code files} on top of {@code base}, which this repository has only under {@code refs/pull/<n>/head}.
         */
        public int openForkPull(String forkOwner, String base, Map<String, String> files, String author) throws IOException, InterruptedException {
            GitHttpServer.git(work, "fetch", "-q", "--prune", "origin", "+refs/heads/*:refs/remotes/origin/*");
            GitHttpServer.git(work, "checkout", "-q", "-B", "quorum-fake-work", "origin/" + base);
            String sha = commit(files, "change from the fork of " + forkOwner);
            Pull p;
            synchronized (FakeGitHub.this) {
                // the fork's commits reach this repository only under the pull request's ref
                GitHttpServer.git(work, "push", "-q", "-f", "origin", "HEAD:refs/pull/" + nextNumber + "/head");
                p = newPull(fullName(), "patch-" + nextNumber, sha, base, author, false, "A change from " + forkOwner, "");
                p.headRepo = forkOwner + "/" + name;
            }
            deliverPull("opened", p);
            return p.number;
        }

        /** The fork's author pushes one more commit to the head of fork pull request {@code number}; returns the new head. */
        public String pushToFork(int number, Map<String, String> files) throws IOException, InterruptedException {
            Pull p = pull(number);
            GitHttpServer.git(work, "fetch", "-q", "origin", "+refs/pull/" + number + "/head:refs/remotes/pull/" + number);
            GitHttpServer.git(work, "checkout", "-q", "-B", "quorum-fake-work", "refs/remotes/pull/" + number);
            String sha = commit(files, "more from the fork");
            synchronized (FakeGitHub.this) {
                GitHttpServer.git(work, "push", "-q", "-f", "origin", "HEAD:refs/pull/" + number + "/head");
                p.headSha = sha;
            }
            deliverPull("synchronize", p);
            return sha;
        }

        /** Closed without merging; webhook {@code pull_request closed}. */
        public void close(int number) {
            Pull p = pull(number);
            synchronized (FakeGitHub.this) {
                p.state = "closed";
            }
            deliverPull("closed", p);
        }

        /**
         * Merged on GitHub by someone, not Quorum (a merge commit of its head into its base); webhooks {@code push} and
         * {@code pull_request closed} (merged). Returns the merge commit.
         */
        public String mergeElsewhere(int number) throws IOException, InterruptedException {
            Pull p = pull(number);
            String before = head(p.baseRef).orElseThrow();
            synchronized (FakeGitHub.this) {
                Answer a = mergeInGit(fullName(), p, new JsonObject().put("sha", p.headSha));
                if (a.status != 200) throw new IllegalStateException("cannot merge #" + number + ": " + a.body);
            }
            deliverIfHooked("push", event().put("ref", "refs/heads/" + p.baseRef).put("before", before)
                    .put("after", p.mergeCommit).put("forced", false));
            deliverPull("closed", p);
            return p.mergeCommit;
        }

        /** {@code login} comments {@code body} on pull request {@code number}; webhook {@code issue_comment created}. */
        public JsonObject comment(int number, String login, String body) {
            Pull p = pull(number);
            JsonObject c;
            synchronized (FakeGitHub.this) {
                c = addComment(fullName(), number, body, login, login.endsWith("[bot]") ? "Bot" : "User");
            }
            deliverIfHooked("issue_comment", event().put("action", "created").put("sender", GitHubDeliveries.user(login))
                    .put("issue", new JsonObject().put("number", number).put("title", p.title).put("state", p.state)
                            .put("user", GitHubDeliveries.user(p.author))
                            .put("pull_request", new JsonObject().put("url", apiUrl() + "repos/" + fullName() + "/pulls/" + number)))
                    .put("comment", c.copy().put("created_at", clock.instant().toString())));
            return c;
        }

        /** {@code login} submits a review ({@code approved}, {@code changes_requested}, {@code commented}) on {@code commitId}. */
        public void review(int number, String login, String state, String commitId) {
            Pull p = pull(number);
            JsonObject pr;
            synchronized (FakeGitHub.this) {
                pr = pullJson(fullName(), p);
            }
            deliverIfHooked("pull_request_review", event().put("action", "submitted").put("sender", GitHubDeliveries.user(login))
                    .put("pull_request", pr)
                    .put("review", new JsonObject().put("id", nextId()).put("state", state).put("commit_id", commitId)
                            .put("user", GitHubDeliveries.user(login)).put("submitted_at", clock.instant().toString())));
        }

        /** The pull request as GitHub holds it now (a merge by a push into its base shows). */
        public Pull pull(int number) {
            return FakeGitHub.this.pull(owner, name, number).orElseThrow(() -> new IllegalArgumentException("no pull request #" + number));
        }

        public List<JsonObject> comments(int number) {
            return FakeGitHub.this.comments(owner, name, number);
        }

        public List<JsonObject> statuses(String sha) {
            return FakeGitHub.this.statuses(owner, name, sha);
        }

        /** The check runs posted on {@code sha}, oldest first. */
        public List<JsonObject> checkRuns(String sha) {
            return FakeGitHub.this.checkRuns(owner, name).stream().filter(r -> sha.equals(r.getString("head_sha"))).toList();
        }

        /** The merge API calls Quorum made for pull request {@code number}. */
        public List<Call> mergeCalls(int number) {
            return calls("PUT", "repos/" + fullName() + "/pulls/" + number + "/merge");
        }

        private String commit(Map<String, String> files, String message) throws IOException, InterruptedException {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path file = work.resolve(f.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, f.getValue());
            }
            GitHttpServer.git(work, "add", "-A");
            GitHttpServer.git(work, with(PERSON_IDENTITY, "commit", "-q", "--allow-empty", "-m", message));
            return GitHttpServer.git(work, "rev-parse", "HEAD");
        }

        private JsonObject event() {
            return new JsonObject().put("repository", GitHubDeliveries.repository(fullName())).put("sender", GitHubDeliveries.user("someone"));
        }

        private void deliverPull(String action, Pull p) {
            JsonObject payload;
            synchronized (FakeGitHub.this) {
                followGit(fullName(), p);
                payload = event().put("action", action).put("number", p.number).put("pull_request", pullJson(fullName(), p));
            }
            deliverIfHooked("pull_request", payload);
        }
    }

    private void deliverIfHooked(String event, JsonObject payload) {
        if (webhookUrl != null) deliver(event, payload);
    }

    private synchronized long nextId() {
        return nextId++;
    }

    private Pull newPull(String repo, String head, String sha, String base, String author, boolean draft, String title, String body)
            throws IOException, InterruptedException {
        Pull p = new Pull(nextNumber++, head, sha, base, null, author);
        p.draft = draft;
        p.title = title;
        p.body = body;
        Repo real = repos.get(repo);
        if (real != null) {
            GitHttpServer.git(real.bare(), "update-ref", "refs/pull/" + p.number + "/head", sha);
            p.baseSha = ref(real.bare(), "refs/heads/" + base).orElse(null);
        } else {
            p.baseSha = sha();
        }
        pulls.computeIfAbsent(repo, k -> new LinkedHashMap<>()).put(p.number, p);
        return p;
    }

    private JsonObject addComment(String repo, int number, String body, String login, String type) {
        long id = nextId++;
        JsonObject c = new JsonObject().put("id", id).put("body", body)
                .put("user", new JsonObject().put("login", login).put("type", type))
                .put("html_url", "https://github.example/" + repo + "/pull/" + number + "#issuecomment-" + id);
        comments.computeIfAbsent(repo + "#" + number, k -> new ArrayList<>()).add(c);
        return c;
    }

    private Optional<String> ref(Path bare, String ref) {
        try {
            return Optional.of(GitHttpServer.git(bare, "rev-parse", "--verify", "-q", ref + "^{commit}"));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A real repository's pull request follows its git: the base's head now, and merged (closed) once its head is in
     * its base, as GitHub marks a pull request whose commits were pushed to the base.
     */
    private void followGit(String repo, Pull p) {
        Repo real = repos.get(repo);
        if (real == null) return;
        Optional<String> base = ref(real.bare(), "refs/heads/" + p.baseRef);
        if (base.isEmpty()) return;
        p.baseSha = base.get();
        if (p.merged || !p.state.equals("open")) return;
        try {
            GitHttpServer.git(real.bare(), "merge-base", "--is-ancestor", p.headSha, base.get());
            p.merged = true;
            p.state = "closed";
            p.mergeCommit = base.get();
        } catch (IOException notInBase) {
            // still open
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String[] with(String[] identity, String... args) {
        String[] all = new String[identity.length + args.length];
        System.arraycopy(identity, 0, all, 0, identity.length);
        System.arraycopy(args, 0, all, identity.length, args.length);
        return all;
    }

    // ---- the server ----

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(buffer -> vertx.executeBlocking(() -> answer(req, buffer.toString(StandardCharsets.UTF_8)))
                .onComplete(done -> {
                    Answer a = done.succeeded() ? done.result() : error(500, "fake failed: " + done.cause());
                    var res = req.response().setStatusCode(a.status).putHeader("Content-Type", "application/json; charset=utf-8")
                            .putHeader("X-GitHub-Media-Type", "github.v3; format=json");
                    a.headers.forEach(res::putHeader);
                    res.end(a.body == null ? "" : a.body.toString());
                }));
    }

    private Answer answer(HttpServerRequest req, String text) {
        String path = req.path().startsWith("/") ? req.path().substring(1) : req.path();
        JsonObject body = null;
        boolean badJson = false;
        if (!text.isEmpty()) {
            try {
                body = new JsonObject(text);
            } catch (DecodeException | ClassCastException e) {
                badJson = true;
            }
        }
        calls.add(new Call(req.method().name(), path, req.query(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body, clock.instant()));
        if (badJson) return error(400, "Problems parsing JSON");
        if (outage) return error(503, "Service Unavailable");
        JsonObject given = body == null ? new JsonObject() : body;
        return scriptedFor(req.method().name(), path).orElseGet(() -> route(req, path, given));
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
        boolean installation = who != null && installationTokens.containsKey(who) && installationTokens.get(who).isAfter(clock.instant());
        if (!installation && (who == null || !personalTokens.containsKey(who))) return error(401, "Bad credentials");
        Matcher m = REPO.matcher(path);
        if (!m.matches()) return error(404, "Not Found");
        synchronized (this) {
            try {
                return repoCall(req.method().name(), m.group(1) + "/" + m.group(2), m.group(3) == null ? "" : m.group(3), body, installation, req);
            } catch (IOException e) {
                return error(500, "git failed in the fake: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return error(500, "interrupted");
            }
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
        String token = tokenPrefix + UUID.randomUUID().toString().replace("-", "");
        Instant expires = clock.instant().plus(tokenLifetime).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        installationTokens.put(token, expires);
        issuedTokens.add(token);
        return ok(201, new JsonObject().put("token", token).put("expires_at", expires.toString())
                .put("permissions", new JsonObject().put("contents", "write").put("pull_requests", "write")
                        .put("checks", "write").put("statuses", "write").put("issues", "write").put("metadata", "read"))
                .put("repository_selection", "selected"));
    }

    /** GitHub's checks of an App JWT, with its messages. */
    private Optional<String> jwtProblem(String jwt, App app) {
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
        long now = clock.instant().getEpochSecond();
        Object iss = claims.getValue("iss");
        if (iss == null || !String.valueOf(iss).equals(String.valueOf(app.id()))) return Optional.of("'Issuer' claim ('iss') must be an Integer");
        Long iat = claims.getLong("iat");
        Long exp = claims.getLong("exp");
        if (iat == null || iat > now + 5) return Optional.of("'Issued at' claim ('iat') must be an Integer representing a time in the past");
        if (exp == null || exp <= now) return Optional.of("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
        if (exp - Math.max(iat, now - 60) > 600) return Optional.of("'Expiration time' claim ('exp') is too far in the future");
        return Optional.empty();
    }

    private Answer repoCall(String method, String repo, String rest, JsonObject body, boolean installation, HttpServerRequest req)
            throws IOException, InterruptedException {
        Map<Integer, Pull> prs = pulls.get(repo);
        if (prs == null) return error(404, "Not Found");
        prs.values().forEach(p -> followGit(repo, p));
        Repo real = repos.get(repo);
        String owner = repo.substring(0, repo.indexOf('/'));
        Matcher pr;
        if (rest.isEmpty() && method.equals("GET")) {
            return ok(200, new JsonObject().put("full_name", repo).put("name", repo.substring(owner.length() + 1))
                    .put("clone_url", real != null ? real.cloneUrl() : "https://github.example/" + repo + ".git")
                    .put("default_branch", "main").put("private", true));
        }
        if (rest.equals("/pulls") && method.equals("GET")) {
            String head = req.getParam("head");
            String base = req.getParam("base");
            String state = req.getParam("state") == null ? "open" : req.getParam("state");
            JsonArray out = new JsonArray();
            prs.values().stream().filter(p -> state.equals("all") || p.state.equals(state))
                    .filter(p -> head == null || head.equals(owner + ":" + p.headRef))
                    .filter(p -> base == null || base.equals(p.baseRef)).forEach(p -> out.add(pullJson(repo, p)));
            return ok(200, out);
        }
        if (rest.equals("/pulls") && method.equals("POST")) {
            String head = body.getString("head");
            String base = body.getString("base");
            if (head == null || base == null || body.getString("title") == null) return error(422, "Validation Failed");
            if (prs.values().stream().anyMatch(p -> p.state.equals("open") && p.headRef.equals(head) && p.baseRef.equals(base))) {
                return error(422, "A pull request already exists for " + owner + ":" + head + ".");
            }
            String sha = real == null ? sha() : ref(real.bare(), "refs/heads/" + head).orElse(null);
            if (sha == null) return error(422, "Validation Failed: head " + head + " is not a branch");
            Pull p = newPull(repo, head, sha, base, installation ? "quorum[bot]" : "quorum-user", body.getBoolean("draft", false),
                    body.getString("title"), body.getString("body"));
            p.headRepo = repo;
            p.authorType = installation ? "Bot" : "User";
            return ok(201, pullJson(repo, p));
        }
        if ((pr = Pattern.compile("/pulls/(\\d+)(/merge)?").matcher(rest)).matches()) {
            Pull p = prs.get(Integer.parseInt(pr.group(1)));
            if (p == null) return error(404, "Not Found");
            if (pr.group(2) == null && method.equals("GET")) return ok(200, pullJson(repo, p));
            if (pr.group(2) == null && method.equals("PATCH")) {
                if (body.containsKey("title")) p.title = body.getString("title");
                if (body.containsKey("body")) p.body = body.getString("body");
                if (body.containsKey("base")) p.baseRef = body.getString("base");
                if (body.containsKey("state")) p.state = body.getString("state");
                if (real != null && body.containsKey("title") && p.headRepo.equals(repo)) {
                    // an update of a draft after a new push: GitHub's head follows the branch
                    ref(real.bare(), "refs/heads/" + p.headRef).ifPresent(sha -> p.headSha = sha);
                    GitHttpServer.git(real.bare(), "update-ref", "refs/pull/" + p.number + "/head", p.headSha);
                }
                return ok(200, pullJson(repo, p));
            }
            if (pr.group(2) != null && method.equals("PUT")) return merge(repo, p, body);
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
            return ok(201, addComment(repo, n, body.getString("body"), installation ? "quorum[bot]" : "quorum-user", installation ? "Bot" : "User"));
        }
        if ((pr = Pattern.compile("/issues/comments/(\\d+)").matcher(rest)).matches() && method.equals("PATCH")) {
            long id = Long.parseLong(pr.group(1));
            if (body.getString("body") == null) return error(422, "Validation Failed");
            for (Map.Entry<String, List<JsonObject>> thread : comments.entrySet()) {
                if (!thread.getKey().startsWith(repo + "#")) continue;
                for (JsonObject c : thread.getValue()) {
                    if (c.getLong("id") == id) {
                        c.put("body", body.getString("body"));
                        return ok(200, c.copy());
                    }
                }
            }
            return error(404, "Not Found");
        }
        return error(404, "Not Found");
    }

    /** GitHub's merge endpoint: 405 when it cannot merge, 409 when {@code sha} is not the head, 422 for a bad method. */
    private Answer merge(String repo, Pull p, JsonObject body) throws IOException, InterruptedException {
        String method = body.getString("merge_method", "merge");
        if (!List.of("merge", "squash", "rebase").contains(method)) return error(422, "Validation Failed");
        if (p.merged || !p.state.equals("open") || p.draft || !p.mergeable) return error(405, "Pull Request is not mergeable");
        String sha = body.getString("sha");
        if (sha != null && !sha.equals(p.headSha)) return error(409, "Head branch was modified. Review and try the merge again.");
        if (repos.containsKey(repo)) return mergeInGit(repo, p, body);
        p.merged = true;
        p.state = "closed";
        p.mergeCommit = sha();
        p.baseSha = p.mergeCommit;
        return ok(200, new JsonObject().put("sha", p.mergeCommit).put("merged", true).put("message", "Pull Request successfully merged"));
    }

    /** Merges, squashes or rebases the head into the base in a scratch clone of the bare repository, then pushes the base. */
    private Answer mergeInGit(String repo, Pull p, JsonObject body) throws IOException, InterruptedException {
        Path bare = repos.get(repo).bare();
        String method = body.getString("merge_method", "merge");
        String title = body.getString("commit_title", method.equals("squash") ? p.title + " (#" + p.number + ")"
                : "Merge pull request #" + p.number + " from " + p.headRepo.substring(0, p.headRepo.indexOf('/')) + "/" + p.headRef);
        String message = body.getString("commit_message", method.equals("squash") ? "" : p.title);
        Path scratch = Files.createTempDirectory(gitRoot, ".merge-");
        try {
            GitHttpServer.git(scratch, "init", "-q");
            GitHttpServer.git(scratch, "fetch", "-q", bare.toString(), "+refs/heads/" + p.baseRef + ":refs/heads/base",
                    "+refs/pull/" + p.number + "/head:refs/heads/head");
            GitHttpServer.git(scratch, "checkout", "-q", "base");
            try {
                switch (method) {
                    case "merge" -> GitHttpServer.git(scratch, with(GITHUB_IDENTITY, "merge", "-q", "--no-ff", "-m",
                            message.isEmpty() ? title : title + "\n\n" + message, "head"));
                    case "squash" -> {
                        GitHttpServer.git(scratch, "merge", "-q", "--squash", "head");
                        GitHttpServer.git(scratch, with(GITHUB_IDENTITY, "commit", "-q", "-m", message.isEmpty() ? title : title + "\n\n" + message));
                    }
                    default -> {
                        GitHttpServer.git(scratch, "checkout", "-q", "head");
                        GitHttpServer.git(scratch, with(GITHUB_IDENTITY, "rebase", "-q", "--force-rebase", "base"));
                    }
                }
            } catch (IOException conflict) {
                return error(405, "Merge conflict");
            }
            String result = GitHttpServer.git(scratch, "rev-parse", "HEAD");
            GitHttpServer.git(scratch, "push", "-q", bare.toString(), "HEAD:refs/heads/" + p.baseRef);
            p.merged = true;
            p.state = "closed";
            p.mergeCommit = result;
            p.baseSha = result;
            return ok(200, new JsonObject().put("sha", result).put("merged", true).put("message", "Pull Request successfully merged"));
        } finally {
            try (var walk = Files.walk(scratch)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private JsonObject pullJson(String repo, Pull p) {
        String headRepo = p.headRepo == null ? repo : p.headRepo;
        return new JsonObject().put("number", p.number).put("state", p.state).put("merged", p.merged).put("draft", p.draft)
                .put("mergeable", p.mergeable).put("title", p.title).put("body", p.body).put("merge_commit_sha", p.mergeCommit)
                .put("html_url", "https://github.example/" + repo + "/pull/" + p.number)
                .put("user", new JsonObject().put("login", p.author).put("type", p.authorType))
                .put("head", new JsonObject().put("ref", p.headRef).put("sha", p.headSha).put("repo", new JsonObject().put("full_name", headRepo)))
                .put("base", new JsonObject().put("ref", p.baseRef).put("sha", p.baseSha).put("repo", new JsonObject().put("full_name", repo)));
    }
}
