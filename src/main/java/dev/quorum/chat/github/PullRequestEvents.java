package dev.quorum.chat.github;

import dev.quorum.approval.ActionRecord;
import dev.quorum.approval.ApprovalService;
import dev.quorum.approval.Subject;
import dev.quorum.audit.AuditLog;
import dev.quorum.config.Directory;
import dev.quorum.config.RepoConfig;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.github.GitHubClient;
import dev.quorum.github.GitHubEvent;
import dev.quorum.github.GitHubEvents;
import dev.quorum.github.GitHubException;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.Sha;
import dev.quorum.request.CancelBoard;
import dev.quorum.request.Request;
import dev.quorum.request.RequestProgress;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;
import dev.quorum.conversation.Reply;
import dev.quorum.store.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Quorum does with GitHub's events, the moment they arrive (the webhook has checked and
 * deduplicated them):
 * <ul>
 *   <li>a {@code /quorum} comment is a command from {@code github:<login>} in the pull request's
 *       conversation, when the login is someone the directory knows ({@code people:} or
 *       {@code groups:}): anyone may comment on a public repository, and a command costs test runs
 *       and model money;</li>
 *   <li>a push, new commits on a pull request, its base changed, or it was closed or merged: every
 *       open merge or deploy it concerns is checked again. One awaiting votes goes {@code stale}
 *       when its subject no longer holds ({@link ApprovalService#recheck}, which fetches first) or its
 *       pull request is closed; one being verified fails with the reason, and its test run is stopped (it
 *       tests what is no longer there); a queued one fails only when its pull request is closed. Executing ones are left to
 *       the execution, which checks again under its lock;</li>
 *   <li>an approving review, with {@code github.count_reviews}, is the reviewer's
 *       {@code approve <id>} for each awaiting merge of that pull request whose head is the
 *       reviewed commit, through the same pipeline and vote as a comment (so one person's review and
 *       comment count once); a review of another commit is ignored and audited. A review before the
 *       card (the merge still verified) is refused as an early comment is, so the reviewer knows to
 *       approve again.</li>
 * </ul>
 * A request concerns pull request {@code n} when its subject is that pull request ({@code merge #n})
 * or it was proposed in its comments. Thread-safe; blocking (the webhook calls it on a virtual thread).
 */
final class PullRequestEvents implements GitHubEvents {
    private static final Logger LOG = LoggerFactory.getLogger(PullRequestEvents.class);
    private static final List<RequestState> OPEN = List.of(RequestState.QUEUED, RequestState.VERIFYING, RequestState.AWAITING_APPROVAL);
    private static final String HEADS = "refs/heads/";
    private static final String TAGS = "refs/tags/";

    private final PullRequestAdapter adapter;
    private final GitHubClient github;
    private final Map<String, RepoConfig.GitHub> repos;
    private final ApprovalService approvals;
    private final Requests requests;
    private final RequestProgress progress;
    private final CancelBoard cancels;
    private final Directory directory;
    private final AuditLog audit;
    private final Redis redis;
    private final boolean countReviews;

    PullRequestEvents(PullRequestAdapter adapter, GitHubClient github, Map<String, RepoConfig.GitHub> repos, ApprovalService approvals,
                      Requests requests, RequestProgress progress, CancelBoard cancels, Directory directory, AuditLog audit, Redis redis,
                      boolean countReviews) {
        this.adapter = adapter;
        this.github = github;
        this.repos = Map.copyOf(repos);
        this.approvals = approvals;
        this.requests = requests;
        this.progress = progress;
        this.cancels = cancels;
        this.directory = directory;
        this.audit = audit;
        this.redis = redis;
        this.countReviews = countReviews;
    }

    @Override
    public void accept(GitHubEvent event) throws Exception {
        switch (event) {
            case GitHubEvent.IssueComment c -> comment(c);
            case GitHubEvent.Review r -> review(r);
            case GitHubEvent.PullRequestChanged pr -> changed(pr);
            case GitHubEvent.Push p -> pushed(p);
        }
    }

    private void comment(GitHubEvent.IssueComment c) {
        Optional<Identity> sender = known(c.repo(), c.number(), c.login(), "comment");
        if (sender.isEmpty()) return;
        adapter.hear(c.repo(), c.number(), sender.get(), "comment-" + c.commentId(), c.command());
    }

    /**
     * The sender as an identity, when the directory knows it; else audited and empty. Nobody is
     * answered: a reply to strangers would let anyone make Quorum write comments.
     */
    private Optional<Identity> known(String repo, int number, String login, String what) {
        Optional<Identity> id = PullRequestAdapter.identity(login.toLowerCase(java.util.Locale.ROOT));
        boolean known = id.isPresent() && (directory.personOf(id.get()).startsWith("person:") || !directory.groupsOf(id.get()).isEmpty());
        if (!known) {
            audit.append("github." + what + ".ignored", "github:" + login, null, AuditLog.details("repo", repo, "number", number,
                    "why", "github:" + login + " is neither in people: nor in a group"));
            return Optional.empty();
        }
        return id;
    }

    private void review(GitHubEvent.Review r) {
        if (!countReviews || !"approved".equals(r.state())) return; // other reviews are no votes (the event is audited)
        Optional<Identity> sender = known(r.repo(), r.number(), r.login(), "review");
        if (sender.isEmpty()) return;
        for (Open o : open(r.repo())) {
            if (o.request().type() != RequestType.MERGE || !o.ofPullRequest(r.number())) continue;
            // Before its card, the vote is refused as any early vote is, and the reviewer is told to approve again then
            String head = o.subject() == null ? r.commitId().hex() : o.subject().sourceSha();
            if (!head.equals(r.commitId().hex())) {
                audit.append("github.review.ignored", sender.get().toString(), o.request().id(), AuditLog.details(
                        "number", r.number(), "commit", r.commitId().hex(), "head", head,
                        "why", "the review approves " + r.commitId().abbrev() + ", but " + o.request().id() + " merges " + Sha.abbrev(head)));
                continue;
            }
            adapter.hear(r.repo(), r.number(), sender.get(), "review-" + r.delivery() + "-" + o.request().id(), "approve " + o.request().id());
        }
    }

    private void changed(GitHubEvent.PullRequestChanged pr) throws Exception {
        Optional<String> closed = switch (pr.change()) {
            case GitHubEvent.Change.Closed c -> closedNow(pr, "pull request #" + pr.number() + " was closed");
            case GitHubEvent.Change.Merged m -> closedNow(pr, "pull request #" + pr.number() + " was merged elsewhere");
            case GitHubEvent.Change.Synchronized s -> Optional.empty();
            case GitHubEvent.Change.BaseChanged b -> Optional.empty();
        };
        String moved = switch (pr.change()) {
            case GitHubEvent.Change.Synchronized s -> "pull request #" + pr.number() + " got new commits (its head is now " + s.head().abbrev() + ")";
            case GitHubEvent.Change.BaseChanged b -> "pull request #" + pr.number() + "'s base changed from `" + b.from() + "` to `" + b.to() + "`";
            case GitHubEvent.Change.Closed c -> closed.orElse(null);
            case GitHubEvent.Change.Merged m -> closed.orElse(null);
        };
        if (moved == null) return; // closed, then reopened before Quorum asked: nothing to do
        each(open(pr.repo()).stream().filter(o -> o.request().type() == RequestType.MERGE && o.ofPullRequest(pr.number())).toList(), o -> {
            switch (o.state()) {
                case AWAITING_APPROVAL -> {
                    if (closed.isPresent()) approvals.markStale(o.request(), closed.get());
                    else approvals.recheck(o.request());
                }
                case VERIFYING -> fail(o.request(), moved + " while " + o.request().id() + " was being verified; propose it again");
                case QUEUED -> closed.ifPresent(why -> fail(o.request(), why));
                default -> { }
            }
        });
    }

    /**
     * The reason, when GitHub still says the pull request is closed: a delivery redelivered after it
     * was reopened must not void anything. When GitHub cannot be asked, the signed event is believed
     * (going stale is the safe side).
     */
    private Optional<String> closedNow(GitHubEvent.PullRequestChanged pr, String why) {
        try {
            PullRequest now = github.pullRequest(repos.get(pr.repo()), pr.number());
            return now.open() ? Optional.empty() : Optional.of(why);
        } catch (GitHubException e) {
            LOG.warn("Could not ask GitHub whether pull request #{} of {} is still closed; believing the event: {}", pr.number(), pr.repo(), e.getMessage());
            return Optional.of(why);
        }
    }

    private void pushed(GitHubEvent.Push p) throws Exception {
        String ref = p.ref().startsWith(HEADS) ? p.ref().substring(HEADS.length()) : p.ref().startsWith(TAGS) ? p.ref().substring(TAGS.length()) : p.ref();
        boolean deleted = p.after().hex().chars().allMatch(c -> c == '0');
        String moved = "`" + ref + "` " + (deleted ? "was deleted" : "moved to " + p.after().abbrev());
        each(open(p.repo()).stream().filter(o -> o.names(ref, p.ref())).toList(), o -> {
            switch (o.state()) {
                case AWAITING_APPROVAL -> approvals.recheck(o.request());
                case VERIFYING -> fail(o.request(), moved + " while " + o.request().id() + " was being verified; propose it again");
                default -> { } // a queued request reads the branches when its verification starts
            }
        });
    }

    /** What is done to one request an event concerns. */
    @FunctionalInterface
    private interface Act {
        void on(Open request) throws IOException;
    }

    /**
     * Acts on each request by itself: one whose check fails (its host out of reach) spares none of the others. The
     * first failure is thrown at the end, so the webhook answers 500 and a redelivery tries again (what was done
     * holds: moving a request twice moves it once); the execution checks again under its lock in any case.
     */
    private static void each(List<Open> concerned, Act act) throws Exception {
        Exception first = null;
        for (Open o : concerned) {
            try {
                act.on(o);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not check {} again after GitHub's event: {}", o.request().id(), e.toString());
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    /** A verification under way is stopped too: its test run tests what is no longer there. */
    private void fail(Request r, String why) {
        requests.move(r, RequestState.FAILED, "github", why).ifPresent(failed -> {
            if (r.state() == RequestState.VERIFYING) cancels.request(r.id(), why);
            progress.finish(failed, "failed: " + why, Reply.Tone.ERROR);
        });
    }

    /**
     * An open action request of a repo, with what it is about: its subject once verified, its
     * inputs before.
     */
    private record Open(Request request, Map<String, String> inputs, Subject subject) {
        RequestState state() {
            return request.state();
        }

        /** Proposed in pull request {@code n}'s comments, or a merge of it. */
        boolean ofPullRequest(int n) {
            String repo = subject != null ? subject.repo() : inputs.get("repo");
            if (request.origin().sameChannel(Conversation.pullRequest(repo, n))) return true;
            if (subject != null) return subject.pullRequest() != null && subject.pullRequest() == n;
            return String.valueOf(n).equals(inputs.get("pull_request")) || ("#" + n).equals(inputs.get("source"));
        }

        /** Whether a move of {@code ref} (short, and in full) is under it: a merge's branches, a deploy's ref. */
        boolean names(String ref, String fullRef) {
            List<String> refs = new ArrayList<>();
            if (subject != null) {
                refs.add(subject.source());
                if (request.type() == RequestType.MERGE) refs.add(subject.target());
            } else if (request.type() == RequestType.MERGE) {
                refs.add(inputs.get("source"));
                refs.add(inputs.get("target"));
            } else {
                refs.add(inputs.get("ref"));
            }
            return refs.contains(ref) || refs.contains(fullRef);
        }
    }

    /** The repo's open action requests, oldest first. */
    private List<Open> open(String repo) {
        List<Open> out = new ArrayList<>();
        for (RequestState state : OPEN) {
            for (String id : redis.sync().zrange(RequestStore.stateIndex(state), 0, -1)) {
                Optional<Request> r = requests.find(id).filter(found -> found.type().isAction() && found.state() == state);
                if (r.isEmpty()) continue;
                Subject subject = state == RequestState.AWAITING_APPROVAL
                        ? approvals.store().find(id).map(ActionRecord::subject).orElse(null) : null;
                Map<String, String> inputs = requests.store().inputs(id);
                String of = subject != null ? subject.repo() : inputs.get("repo");
                if (repo.equals(of)) out.add(new Open(r.get(), inputs, subject));
            }
        }
        return out;
    }
}
