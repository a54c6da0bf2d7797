package dev.quorum.evidence;

import dev.quorum.conversation.Links;
import dev.quorum.repo.CommitCheck;
import dev.quorum.repo.PullRequests;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.Sha;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/**
 * Quorum's evidence on the code host (SPEC §10): every test run of a repository whose host has pull requests posts the
 * check {@value PullRequests#CHECK_NAME} on the commit people review there, pending when the run starts and the
 * verdict with the evidence line and the console link when it ends, so that branch protection can require it.
 *
 * <p>That commit is the one that exists on the host: a pull request's head or a branch's commit, never a merge
 * result Quorum computed and tested in its own copy (the host does not have it until it lands, and the pull request
 * page shows the checks of its head). Posting is best effort: a failure is logged and offered once to the request's
 * progress ({@link Publication#trouble}), never fails the run. Thread-safe; blocking (the host is asked).
 */
public final class CommitChecks {
    private static final Logger LOG = LoggerFactory.getLogger(CommitChecks.class);

    private final Links links;

    public CommitChecks(Links links) {
        this.links = links;
    }

    /**
     * Posts "pending" on {@code head} for the run of request {@code requestId} that tests {@code tested} (the head
     * itself, or its merge into the base); a host without pull requests gets nothing.
     */
    public Publication start(RepoHost host, Sha head, Sha tested, String requestId) {
        Optional<PullRequests> pulls = host.pullRequests();
        if (pulls.isEmpty()) return Publication.NONE;
        Publication p = new Publication(host.name(), pulls.get(), head, links.request(requestId));
        p.post(new CommitCheck(CommitCheck.State.PENDING, "testing " + (tested.equals(head) ? head.abbrev()
                : "the merge result " + tested.abbrev()) + " (Quorum " + requestId + ")", p.link));
        return p;
    }

    /** The check of one run on one commit. Used by the run's thread only. */
    public static final class Publication {
        static final Publication NONE = new Publication(null, null, null, null);

        private final String repo;
        private final PullRequests pulls;
        private final Sha head;
        private final String link;
        private String trouble;

        private Publication(String repo, PullRequests pulls, Sha head, String link) {
            this.repo = repo;
            this.pulls = pulls;
            this.head = head;
            this.link = link;
        }

        /** Posts the verdict of {@code record} with its evidence line. */
        public void finish(EvidenceRecord record) {
            if (pulls == null) return;
            CommitCheck.State state = switch (record.status()) {
                case PASSED -> CommitCheck.State.SUCCESS;
                case FAILED, TIMED_OUT -> CommitCheck.State.FAILURE;
                case ERROR, CANCELLED -> CommitCheck.State.ERROR; // no verdict on the code: not "failure", never left pending
            };
            post(new CommitCheck(state, EvidenceLine.of(record), link));
        }

        /**
         * The first failure to post, as a clause for the request's final status ({@code the quorum check could not
         * be posted on abc1234: …}); empty when every post went through or the host has no checks.
         */
        public Optional<String> trouble() {
            return Optional.ofNullable(trouble);
        }

        private void post(CommitCheck check) {
            try {
                pulls.publish(head, check);
            } catch (IOException e) { // the port's messages name the call and the host's answer: fit to be shown
                failed(check, e.getMessage(), e);
            } catch (RuntimeException e) { // a bug's message is for the log only
                failed(check, "an internal error (see Quorum's log)", e);
            }
        }

        private void failed(CommitCheck check, String why, Exception e) {
            LOG.warn("Could not post the {} check ({}) on {} of repo {}: {}", PullRequests.CHECK_NAME, check.state(), head.abbrev(),
                    repo, e.toString());
            if (trouble == null) trouble = "the " + PullRequests.CHECK_NAME + " check could not be posted on " + head.abbrev() + ": " + why;
        }
    }
}
