package dev.quorum.action;

import dev.quorum.conversation.Identity;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.PullRequests;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rules a pull request meets to be a merge's subject, the same when it is proposed and when it is verified: open,
 * not merged, and no draft (a draft is not ready) — except a code request's own draft landed by push, whose review is
 * the vote. Pure.
 */
final class PullRequestSubjects {
    private static final Logger LOG = LoggerFactory.getLogger(PullRequestSubjects.class);
    /** The input that holds a pull request's number: a code request's draft, a merge's subject. */
    static final String PULL_REQUEST = "pull_request";
    /** The input that holds the identity of a merge subject's pull request author ({@code github:<login>}). */
    static final String PULL_AUTHOR = "pull_author";

    private PullRequestSubjects() {}

    /**
     * Why {@code pr} cannot be merged now, as a clause, or empty.
     *
     * @param named    how the reply names it: {@code #12}, {@code R12's pull request #15}
     * @param ownDraft it is a code request's draft, opened by Quorum for that request
     */
    static Optional<String> whyNotMergeable(PullRequest pr, PullRequests.Landing landing, String repo, String named, boolean ownDraft) {
        if (pr.merged()) return Optional.of(named + " is already merged");
        if (!pr.open()) return Optional.of(named + " is closed; reopen it on GitHub to propose it");
        if (!pr.draft()) return Optional.empty();
        return switch (landing) {
            case MERGE_API -> Optional.of(named + " is a draft, and repo " + repo + " lands through GitHub's merge API, which does not "
                    + "merge drafts: mark it ready for review on GitHub, then propose it again");
            case PUSH -> ownDraft ? Optional.empty()
                    : Optional.of(named + " is a draft, not ready to merge: mark it ready for review on GitHub, then propose it again");
        };
    }

    /** What a merge of {@code pr} keeps in its inputs: the number, and its author unless an app or bot opened it. */
    static Map<String, String> inputs(PullRequest pr) {
        Map<String, String> in = new LinkedHashMap<>();
        in.put(PULL_REQUEST, String.valueOf(pr.number()));
        author(pr).ifPresent(a -> in.put(PULL_AUTHOR, a.toString()));
        return in;
    }

    /**
     * Who opened {@code pr}, as an identity ({@code github:<login>}): an author of its merge, who may not approve. An
     * app or bot account (Quorum's own drafts among them) is none: bots never vote anyway.
     */
    static Optional<Identity> author(PullRequest pr) {
        if (pr.authorIsBot() || pr.author() == null) return Optional.empty();
        try {
            return Optional.of(Identity.parse(pr.author()));
        } catch (IllegalArgumentException e) { // a login Quorum cannot name cannot vote either
            LOG.warn("Pull request {} has an author Quorum cannot name as an identity: {}", pr.shown(), e.getMessage());
            return Optional.empty();
        }
    }
}
