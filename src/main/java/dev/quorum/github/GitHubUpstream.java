package dev.quorum.github;

import dev.quorum.config.RepoConfig;
import dev.quorum.repo.remote.Upstream;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a repository on GitHub is fetched from and how: the {@code clone_url} of {@code GET /repos/{o}/{r}}, asked at the
 * first fetch (so GitHub being down does not stop Quorum starting) and kept, and {@code x-access-token:<token>} with
 * the client's token at each fetch and push (an App's lasts an hour). The token goes only to the API's own host or the
 * host it is the {@code api.} of ({@code api.github.com} → {@code github.com}; GitHub Enterprise serves both on one
 * host): a {@code clone_url} elsewhere is refused. Thread-safe.
 */
final class GitHubUpstream implements Upstream {
    static final String TOKEN_USER = "x-access-token";

    private final String name;
    private final RepoConfig.GitHub repo;
    private final GitHubClient client;
    private final String apiHost;
    private volatile String cloneUrl;

    GitHubUpstream(String name, RepoConfig.GitHub repo, GitHubClient client, String apiUrl) {
        this.name = name;
        this.repo = repo;
        this.client = client;
        this.apiHost = host(apiUrl);
    }

    @Override
    public String url() throws IOException {
        String known = cloneUrl;
        if (known != null) return known;
        String asked;
        try {
            asked = client.repository(repo).cloneUrl();
        } catch (GitHubException e) {
            throw new IOException("cannot ask GitHub where repo " + name + " is fetched from: " + e.getMessage(), e);
        }
        String host = host(asked);
        if (host.isEmpty() || !(host.equals(apiHost) || ("api." + host).equals(apiHost))) {
            throw new IOException("GitHub's clone_url for repo " + name + " is not on GitHub's host (" + apiHost
                    + "); refused, so that Quorum's token is sent nowhere else");
        }
        cloneUrl = asked;
        return asked;
    }

    @Override
    public Optional<Login> login() throws IOException {
        try {
            return Optional.of(new Login(TOKEN_USER, client.gitToken()));
        } catch (GitHubException e) {
            throw new IOException("cannot get a token for git from GitHub for repo " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean refused(Login login) {
        return client.refusedGitToken(login.password());
    }

    @Override
    public String loginSource() {
        return client.loginSource();
    }

    private static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
