package dev.quorum.github;

import dev.quorum.Assembly;
import dev.quorum.audit.AuditLog;
import dev.quorum.config.GitHubConfig;
import dev.quorum.config.QuorumConfig;
import dev.quorum.config.RepoConfig;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.remote.RemoteGitHost;
import dev.quorum.repo.remote.Upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Quorum's GitHub side (issue 12) when a repo is configured with {@code github:}: the REST client
 * and a {@link RepoHost} per repository on GitHub (both made with the {@code Assembly}, so every
 * capability sees the hosts), and {@code POST /github/webhook} when {@code github.webhook_secret}
 * is set. Secrets are resolved from their references here, so a missing one stops the start with
 * a config error.
 */
public final class GitHubCapability {
    private GitHubCapability() {}

    /**
     * @param events where accepted webhook events go
     * @return the client, when any repo lives on GitHub
     */
    public static Optional<GitHubClient> install(Assembly a, GitHubEvents events) {
        return install(a, events, System::getenv);
    }

    static Optional<GitHubClient> install(Assembly a, GitHubEvents events, Function<String, String> env) {
        QuorumConfig config = a.config();
        Map<String, String> repos = onGitHub(config);
        if (repos.isEmpty() || a.github().isEmpty()) return Optional.empty();
        GitHubConfig github = config.github();
        GitHubClient client = a.github().get();
        if (github.webhookSecret() != null) {
            String secret = SecretReference.resolve("github.webhook_secret", github.webhookSecret(), env);
            a.endpoint(new GitHubWebhook(secret, a.redis(), repos, audited(a.audit(), events)));
        }
        return Optional.of(client);
    }

    /**
     * The client, when any repo lives on GitHub: one for the REST calls, the hosts' git logins and the webhook's
     * side, so an App mints one token at a time.
     *
     * @throws dev.quorum.config.ConfigException when a secret reference is not set or the App's key cannot be read
     */
    public static Optional<GitHubClient> connect(QuorumConfig config, Function<String, String> env, Clock clock) {
        return onGitHub(config).isEmpty() ? Optional.empty() : Optional.of(GitHubClient.connect(config.github(), env, clock));
    }

    /**
     * The host of each repo configured with {@code github:}, for {@code RepoHosts.from}: a mirror under
     * {@code data/mirrors} fetched from GitHub's {@code clone_url} with the client's token, or from the repo's
     * {@code url} with its {@code credentials} when it has one; its pull requests are GitHub's.
     *
     * @throws UncheckedIOException when a mirror cannot be created in the data folder (Quorum does not start)
     */
    public static Function<String, Optional<RepoHost>> hosts(QuorumConfig config, Optional<GitHubClient> client) {
        return name -> {
            RepoConfig repo = config.repos().get(name);
            if (repo == null || repo.github() == null || client.isEmpty()) return Optional.empty();
            Upstream upstream = repo.url() != null ? RemoteGitHost.configured(repo.url(), repo.credentials(), System.getenv())
                    : new GitHubUpstream(name, repo.github(), client.get(), config.github().apiUrl());
            Path mirror = RemoteGitHost.mirrorDir(config, name);
            try {
                return Optional.of(RemoteGitHost.open(name, upstream, mirror,
                        host -> new GitHubPullRequests(name, repo.github(), client.get(), host)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the mirror of repo " + name + " in " + mirror, e);
            }
        };
    }

    /** Each event GitHub told Quorum of is in the audit log before anything acts on it. */
    static GitHubEvents audited(AuditLog audit, GitHubEvents events) {
        return event -> {
            Map<String, Object> details = AuditLog.details("repo", event.repo(), "delivery", event.delivery());
            String actor = "github";
            switch (event) {
                case GitHubEvent.PullRequestChanged pr -> {
                    details.put("number", pr.number());
                    details.put("change", switch (pr.change()) {
                        case GitHubEvent.Change.Closed c -> "closed";
                        case GitHubEvent.Change.Merged m -> m.mergeCommit() == null ? "merged" : "merged " + m.mergeCommit();
                        case GitHubEvent.Change.Synchronized s -> "pushed " + s.head();
                        case GitHubEvent.Change.BaseChanged b -> "base " + b.from() + " -> " + b.to();
                    });
                }
                case GitHubEvent.IssueComment c -> {
                    actor = "github:" + c.login();
                    details.put("number", c.number());
                    details.put("command", c.command());
                }
                case GitHubEvent.Review r -> {
                    actor = "github:" + r.login();
                    details.put("number", r.number());
                    details.put("review", r.state() + " " + r.commitId());
                }
                case GitHubEvent.Push p -> details.put("push", p.ref() + " " + p.before() + " -> " + p.after());
            }
            audit.append("github.event", actor, null, details);
            events.accept(event);
        };
    }

    /** {@code owner/repo} in lower case (GitHub's names ignore case) to the Quorum repo name. */
    static Map<String, String> onGitHub(QuorumConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        config.repos().forEach((name, repo) -> {
            if (repo.github() != null) {
                out.put((repo.github().owner() + "/" + repo.github().repo()).toLowerCase(Locale.ROOT), name);
            }
        });
        return out;
    }
}
