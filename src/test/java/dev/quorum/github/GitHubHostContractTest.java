package dev.quorum.github;

import dev.quorum.config.GitHubConfig;
import dev.quorum.config.RepoConfig;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHostContract;
import dev.quorum.repo.remote.RemoteGitHost;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The GitHub host keeps the {@link RepoHostContract}: the upstream is served by {@link FakeGitHub}'s git server (git's
 * smart HTTP on 127.0.0.1), found through {@code GET /repos/acme/demo}'s {@code clone_url}, and fetched and pushed with
 * {@code x-access-token:<token>}; the mirror lives under {@code tmp/data/mirrors}.
 */
class GitHubHostContractTest extends RepoHostContract {
    static final String TOKEN = "github_pat_contract_5c1d9e";
    private FakeGitHub github;

    @Override
    protected RepoHost host(String name, Path upstream) throws Exception {
        github = FakeGitHub.withGit(tmp.resolve("github"));
        github.acceptToken(TOKEN);
        github.adoptRepo("acme", "demo", upstream);
        return hostFor(github, name, new RepoConfig.GitHub("acme", "demo"), TOKEN, tmp.resolve("data/mirrors/" + name + ".git"));
    }

    /** The host Quorum builds for {@code repos.<name>.github} with a personal token (as GitHubCapability.hosts does). */
    static RemoteGitHost hostFor(FakeGitHub github, String name, RepoConfig.GitHub repo, String token, Path mirror) throws Exception {
        GitHubConfig config = new GitHubConfig(github.apiUrl(), null, null, "env:GH_TOKEN", null);
        GitHubClient client = GitHubClient.connect(config, Map.of("GH_TOKEN", token)::get, Clock.systemUTC());
        return RemoteGitHost.open(name, new GitHubUpstream(name, repo, client, github.apiUrl()), mirror,
                host -> new GitHubPullRequests(name, repo, client, host));
    }

    @Override
    protected void closeHost() throws Exception {
        if (github != null) github.close();
    }
}
