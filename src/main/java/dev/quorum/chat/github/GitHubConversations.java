package dev.quorum.chat.github;

import dev.quorum.Assembly;
import dev.quorum.approval.ApprovalService;
import dev.quorum.config.RepoConfig;
import dev.quorum.github.GitHubCapability;
import dev.quorum.github.GitHubClient;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Installs GitHub as a conversation (issue 12) when a repo is configured with {@code github:}: the
 * {@code github} chat adapter (pull request comments), and what requests do with GitHub's webhook
 * events ({@link PullRequestEvents}), handed to {@link GitHubCapability#install} in place of
 * ignoring them. Runs after the approvals are installed: the events vote and void votes.
 */
public final class GitHubConversations {
    private GitHubConversations() {}

    public static void install(Assembly a, ApprovalService approvals) {
        Map<String, RepoConfig.GitHub> repos = new LinkedHashMap<>();
        a.config().repos().forEach((name, repo) -> {
            if (repo.github() != null) repos.put(name, repo.github());
        });
        if (repos.isEmpty() || a.github().isEmpty()) return;
        GitHubClient client = a.github().get();
        PullRequestAdapter adapter = new PullRequestAdapter(client, repos);
        a.adapter(adapter);
        GitHubCapability.install(a, new PullRequestEvents(adapter, client, repos, approvals, a.requests(), a.progress(),
                a.cancels(), a.directory(), a.audit(), a.redis(), a.config().github().countReviews()));
    }
}
