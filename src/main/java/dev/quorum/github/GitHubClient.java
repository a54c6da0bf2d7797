package dev.quorum.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.config.ConfigException;
import dev.quorum.config.GitHubConfig;
import dev.quorum.config.RepoConfig;
import dev.quorum.repo.CommitCheck;
import dev.quorum.repo.MergeOutcome;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.PullRequests;
import dev.quorum.repo.Sha;

import java.nio.charset.StandardCharsets;
import java.net.URLEncoder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * Quorum's calls to GitHub's REST API for one installation (a token or a GitHub App), for every
 * repo configured with {@code github: {owner, repo}}. Calls block (virtual threads only) and are
 * safe from any number of threads. Failures are {@link GitHubException}s whose text carries the
 * call and GitHub's message, never a credential; expected outcomes of a merge are values
 * ({@link MergeOutcome}).
 */
public final class GitHubClient {
    /** The check run's or commit status's name (its "context"): what branch protection requires. */
    public static final String CHECK_NAME = PullRequests.CHECK_NAME;
    /** GitHub refuses a commit status description over 140 characters. */
    static final int STATUS_DESCRIPTION_MAX = 140;
    static final Duration MAX_RATE_LIMIT_WAIT = Duration.ofSeconds(60);

    private final GitHubHttp http;
    private final Credentials credentials;

    GitHubClient(GitHubHttp http, Credentials credentials) {
        this.http = http;
        this.credentials = credentials;
    }

    /**
     * The client the configuration describes; secrets come from their references now.
     *
     * @throws ConfigException when a reference is not set or the private key cannot be read
     */
    public static GitHubClient connect(GitHubConfig config, Function<String, String> env, Clock clock) {
        GitHubHttp http = new GitHubHttp(config.apiUrl(), clock, MAX_RATE_LIMIT_WAIT);
        if (config.app() != null) {
            GitHubConfig.App app = config.app();
            java.security.PrivateKey key;
            try {
                key = PrivateKeys.read(Path.of(app.privateKeyFile()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("github.app.private_key_file", app.privateKeyFile(), e.getMessage());
            }
            return new GitHubClient(http, new Credentials.AppInstallation(new AppJwt(app.id(), key, clock), app.installationId(), clock));
        }
        if (config.token() == null) throw new ConfigException("github.token", null, "required: set GITHUB_TOKEN, github.token or github.app");
        String token = SecretReference.resolve("github.token", config.token(), env);
        if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) { // it goes into a header: no line break may smuggle another in
            throw new ConfigException("github.token", config.token(), "holds spaces, line breaks or other characters no GitHub token has");
        }
        return new GitHubClient(http, new Credentials.PersonalToken(token));
    }

    /** True when Quorum is a GitHub App here: it posts check runs, and its tokens expire. */
    public boolean asApp() {
        return credentials instanceof Credentials.AppInstallation;
    }

    /**
     * The token for git over HTTPS ({@code x-access-token:<token>}); an App's lasts at least
     * five more minutes. Never log it.
     */
    public String gitToken() {
        return credentials.token(http);
    }

    /**
     * GitHub's git server refused {@code token}: an App forgets it, so the next {@link #gitToken} is a new one
     * (revoked, or expired early for a clock that runs slow). True when there is a new one to try.
     */
    public boolean refusedGitToken(String token) {
        credentials.refused(token);
        return asApp();
    }

    /** Where Quorum's git login comes from, for messages: never the token. */
    public String loginSource() {
        return credentials.source();
    }

    public Repository repository(RepoConfig.GitHub repo) {
        JsonNode r = expect(200, "GET", base(repo), null);
        return new Repository(r.path("full_name").asText(), r.path("clone_url").asText(), r.path("default_branch").asText(),
                r.path("private").asBoolean());
    }

    public PullRequest pullRequest(RepoConfig.GitHub repo, int number) {
        return pull(expect(200, "GET", base(repo) + "/pulls/" + number, null));
    }

    /**
     * Lands pull request {@code number} only if its head is still {@code expectedHead}: GitHub
     * compares and merges in one step, so a push after the votes cannot slip in.
     */
    public MergeOutcome merge(RepoConfig.GitHub repo, int number, Sha expectedHead, MergeMethod method) {
        return merge(repo, number, expectedHead, method, null, null);
    }

    /**
     * {@link #merge(RepoConfig.GitHub, int, Sha, MergeMethod)} with the merge (or squash) commit's title and message;
     * {@code null} leaves GitHub's own. GitHub ignores both for {@code rebase}.
     */
    public MergeOutcome merge(RepoConfig.GitHub repo, int number, Sha expectedHead, MergeMethod method, String title, String message) {
        ObjectNode body = GitHubHttp.JSON.createObjectNode().put("sha", expectedHead.hex()).put("merge_method", method.wire());
        if (title != null) body.put("commit_title", title);
        if (message != null) body.put("commit_message", message);
        String path = base(repo) + "/pulls/" + number + "/merge";
        GitHubHttp.Answer a = call("PUT", path, body);
        return switch (a.status()) {
            case 200 -> new MergeOutcome.Merged(sha(a.body().path("sha"), "PUT", path));
            case 409 -> new MergeOutcome.HeadMoved(a.message());
            case 405 -> new MergeOutcome.NotMergeable(a.message());
            default -> throw failure("PUT", path, a);
        };
    }

    /**
     * The open pull request from {@code branch} into {@code base}, as a draft: created on the
     * first run, its title and description updated on later runs (GitHub allows one open pull
     * request per head and base).
     */
    public PullRequest openOrUpdateDraft(RepoConfig.GitHub repo, String branch, String base, String title, String body) {
        String head = repo.owner() + ":" + branch;
        JsonNode open = expect(200, "GET", base(repo) + "/pulls?state=open&head=" + encode(head) + "&base=" + encode(base), null);
        if (open.isArray() && !open.isEmpty()) {
            int number = open.get(0).path("number").asInt();
            ObjectNode patch = GitHubHttp.JSON.createObjectNode().put("title", title).put("body", body);
            return pull(expect(200, "PATCH", base(repo) + "/pulls/" + number, patch));
        }
        ObjectNode create = GitHubHttp.JSON.createObjectNode().put("title", title).put("head", branch).put("base", base)
                .put("body", body).put("draft", true);
        return pull(expect(201, "POST", base(repo) + "/pulls", create));
    }

    /**
     * Posts Quorum's verdict on {@code sha}: a check run when Quorum is an App (GitHub lets only
     * apps write those), else a commit status. Posting again adds a newer one; GitHub shows the last.
     */
    public void postCheck(RepoConfig.GitHub repo, Sha sha, CommitCheck check) {
        if (asApp()) {
            ObjectNode run = GitHubHttp.JSON.createObjectNode().put("name", CHECK_NAME).put("head_sha", sha.hex()).put("details_url", check.link());
            switch (check.state()) {
                case PENDING -> run.put("status", "in_progress");
                case SUCCESS -> run.put("status", "completed").put("conclusion", "success");
                case FAILURE -> run.put("status", "completed").put("conclusion", "failure");
                case ERROR -> run.put("status", "completed").put("conclusion", "action_required");
            }
            run.putObject("output").put("title", cut(check.line(), 255)).put("summary", check.line() + "\n\n" + check.link());
            expect(201, "POST", base(repo) + "/check-runs", run);
        } else {
            ObjectNode status = GitHubHttp.JSON.createObjectNode()
                    .put("state", check.state().name().toLowerCase(java.util.Locale.ROOT))
                    .put("target_url", check.link()).put("description", cut(check.line(), STATUS_DESCRIPTION_MAX))
                    .put("context", CHECK_NAME);
            expect(201, "POST", base(repo) + "/statuses/" + sha.hex(), status);
        }
    }

    /** Answers on a pull request's conversation (a pull request is an issue to GitHub's comment API). */
    public Comment comment(RepoConfig.GitHub repo, int number, String body) {
        JsonNode c = expect(201, "POST", base(repo) + "/issues/" + number + "/comments",
                GitHubHttp.JSON.createObjectNode().put("body", body));
        return new Comment(c.path("id").asLong(), c.path("html_url").asText());
    }

    /** Replaces the text of one of Quorum's comments (progress edited in place, as in chat). */
    public void editComment(RepoConfig.GitHub repo, long commentId, String body) {
        expect(200, "PATCH", base(repo) + "/issues/comments/" + commentId, GitHubHttp.JSON.createObjectNode().put("body", body));
    }

    private static PullRequest pull(JsonNode p) {
        JsonNode user = p.path("user");
        String path = "pulls/" + p.path("number").asInt();
        return new PullRequest(p.path("number").asInt(), p.path("state").asText(), p.path("merged").asBoolean(),
                p.path("draft").asBoolean(), sha(p.path("head").path("sha"), "GET", path), p.path("head").path("ref").asText(),
                p.path("head").path("repo").path("full_name").asText(null), sha(p.path("base").path("sha"), "GET", path),
                p.path("base").path("ref").asText(), "github:" + user.path("login").asText(), Accounts.isBot(user),
                p.path("html_url").asText(), p.path("merged").asBoolean() ? Sha.parse(p.path("merge_commit_sha").asText("")).orElse(null) : null);
    }

    /** A SHA in GitHub's answer; anything else there is GitHub's failure, not Quorum's. */
    private static Sha sha(JsonNode value, String method, String path) {
        return Sha.parse(value.asText("")).orElseThrow(() -> new GitHubException(200, "GitHub's answer to " + method + " /"
                + path + " has no commit SHA where one belongs"));
    }

    private JsonNode expect(int status, String method, String path, JsonNode body) {
        GitHubHttp.Answer a = call(method, path, body);
        if (a.status() != status) throw failure(method, path, a);
        return a.body();
    }

    /** One call; an App whose token GitHub refuses (revoked, expired early) gets a new one and tries once more. */
    private GitHubHttp.Answer call(String method, String path, JsonNode body) {
        String token = credentials.token(http);
        GitHubHttp.Answer a = http.call(method, path, "Bearer " + token, body);
        if (a.status() == 401 && asApp()) {
            credentials.refused(token);
            a = http.call(method, path, "Bearer " + credentials.token(http), body);
        }
        return a;
    }

    private static GitHubException failure(String method, String path, GitHubHttp.Answer a) {
        String hint = switch (a.status()) {
            case 401 -> "; GitHub refused Quorum's credentials";
            case 403 -> "; Quorum lacks a permission for this (see README: GitHub)";
            case 404 -> "; no such repository or pull request, or Quorum cannot see it";
            default -> "";
        };
        return new GitHubException(a.status(), "GitHub answered " + a.status() + " to " + method + " /" + path.replaceFirst("\\?.*", "")
                + (a.message().isEmpty() ? "" : ": " + a.message()) + hint);
    }

    private static String base(RepoConfig.GitHub repo) {
        return "repos/" + repo.owner() + "/" + repo.repo();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
