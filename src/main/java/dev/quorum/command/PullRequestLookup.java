package dev.quorum.command;

import dev.quorum.config.QuorumConfig;
import dev.quorum.conversation.Conversation;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.PullRequests;
import dev.quorum.repo.RefResolutionException;
import dev.quorum.repo.RepoHost;

import java.util.Optional;

/**
 * What {@code #123} names (SPEC §3) for the commands that take one ({@code test}, {@code merge}): the pull request as
 * its host reports it now, with its head fetched, or the one reply that says why there is none. Blocking (it asks
 * the host); never on an event loop.
 */
public final class PullRequestLookup {
    private PullRequestLookup() {}

    /** The pull request found, and the port it came from. */
    public record Found(PullRequests pulls, PullRequest pull) {}

    /**
     * Pull request {@code number} of {@code host}'s repository.
     *
     * @return the pull request, or the reply (a sentence): the repo has no pull requests, the host has none by that
     *         number, or it could not be asked
     */
    public static Lookup find(RepoHost host, int number) {
        Optional<PullRequests> pulls = host.pullRequests();
        if (pulls.isEmpty()) {
            return new Lookup.Missing("#" + number + " names a pull request, and repo " + host.name()
                    + " has none (it is not on GitHub)");
        }
        try {
            return new Lookup.Ok(new Found(pulls.get(), pulls.get().find(number)));
        } catch (RefResolutionException e) {
            return new Lookup.Missing(e.getMessage());
        }
    }

    /** The outcome of {@link #find}. */
    public sealed interface Lookup {
        record Ok(Found found) implements Lookup {}

        /** @param reason why, as a clause ({@code no pull request #12 in repo web}): a request's failure reason */
        record Missing(String reason) implements Lookup {
            /** The reason as the reply to a command says it: a sentence. */
            public String reply() {
                return sentence(reason);
            }
        }
    }

    /**
     * The repo a command means when it names none: in a pull request's conversation
     * ({@link Conversation#pullRequest}) that pull request's repo, so that {@code /quorum merge #12} in a comment of
     * web's pull request 12 means web's; elsewhere {@code default_repo} (which may be {@code null}).
     */
    public static String defaultRepo(QuorumConfig config, Conversation where) {
        if (where != null && Conversation.PULL_REQUEST_ADAPTER.equals(where.adapter())) {
            int hash = where.channel().lastIndexOf('#');
            if (hash > 0 && config.repos().containsKey(where.channel().substring(0, hash))) return where.channel().substring(0, hash);
        }
        return config.defaultRepo();
    }

    /** A host's message ({@code no pull request #12 in repo web}) as a reply's sentence. */
    public static String sentence(String problem) {
        if (problem == null || problem.isEmpty()) return "The pull request could not be read.";
        return Character.toUpperCase(problem.charAt(0)) + problem.substring(1) + (problem.endsWith(".") ? "" : ".");
    }
}
