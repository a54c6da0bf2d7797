package dev.quorum.action;

import dev.quorum.approval.AppliedPolicy;
import dev.quorum.approval.ApprovalService;
import dev.quorum.approval.PolicyResolver;
import dev.quorum.approval.Subject;
import dev.quorum.approval.SubjectCheck;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.Messenger;
import dev.quorum.conversation.Reply;
import dev.quorum.config.QuorumConfig;
import dev.quorum.command.PullRequestLookup;
import dev.quorum.evidence.CommitChecks;
import dev.quorum.evidence.EvidenceCapability.Evidence;
import dev.quorum.evidence.EvidenceLine;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceStatus;
import dev.quorum.evidence.RunEvent;
import dev.quorum.evidence.TestTarget;
import dev.quorum.repo.DiffStat;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import dev.quorum.repo.MergePlan;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Delivery;
import dev.quorum.request.JobHandler;
import dev.quorum.request.Request;
import dev.quorum.request.RequestProgress;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes an action votable, or fails it with the reason. A merge is computed (nothing moves) and
 * its result tested: the not-rocket-science rule, the target only ever moves to a commit whose
 * evidence passed. A deploy gets the newest evidence for its exact commit, or a fresh test run. A pull request's
 * head is read from its host (which fetched it); the run's verdict is posted there on the head.
 */
public final class VerifyJob implements JobHandler {
    public static final String KIND = "verify";

    private final QuorumConfig config;
    private final RepoHosts hosts;
    private final Requests requests;
    private final Evidence evidence;
    private final ApprovalService approvals;
    private final SubjectCheck check;
    private final SubjectCheck.Deployed deployed;
    private final RequestProgress progress;
    private final Messenger messenger;
    private final MergePlans plans;

    VerifyJob(QuorumConfig config, RepoHosts hosts, Requests requests, Evidence evidence, ApprovalService approvals, SubjectCheck check,
              SubjectCheck.Deployed deployed, RequestProgress progress, Messenger messenger, MergePlans plans) {
        this.config = config;
        this.hosts = hosts;
        this.requests = requests;
        this.evidence = evidence;
        this.approvals = approvals;
        this.check = check;
        this.deployed = deployed;
        this.progress = progress;
        this.messenger = messenger;
        this.plans = plans;
    }

    @Override
    public void run(Delivery delivery, Request request, Cancellation cancel) throws IOException {
        Optional<Request> verifying = requests.begin(request, RequestState.VERIFYING, delivery);
        if (verifying.isEmpty()) return;
        Request r = verifying.get();
        Map<String, String> in = requests.store().inputs(r.id());
        if (r.type() == RequestType.MERGE) verifyMerge(r, in, cancel);
        else verifyDeploy(r, in, cancel);
    }

    private void verifyMerge(Request r, Map<String, String> in, Cancellation cancel) throws IOException {
        String repo = in.get("repo");
        RepoHost host = hosts.get(repo);
        host.refresh();
        Optional<Sha> targetSha = host.head(in.get("target"));
        if (targetSha.isEmpty()) {
            fail(r, "`" + in.get("target") + "` no longer exists");
            return;
        }
        Integer pull = in.containsKey(PullRequestSubjects.PULL_REQUEST) ? Integer.valueOf(in.get(PullRequestSubjects.PULL_REQUEST)) : null;
        Optional<Sha> sourceSha;
        if (pull != null) {
            Source head = pullRequestHead(host, in, pull);
            if (head instanceof Source.Refused refused) {
                fail(r, refused.why());
                return;
            }
            sourceSha = Optional.of(((Source.Head) head).sha());
        } else {
            sourceSha = host.head(in.get("source"));
            if (sourceSha.isEmpty()) {
                fail(r, "`" + in.get("source") + "` no longer exists");
                return;
            }
        }
        boolean fastForward = "fast-forward".equals(config.repos().get(repo).mergeStyle());
        String message = "Merge " + in.get("source") + " into " + in.get("target") + "\n\nProposed in Quorum " + r.id()
                + " by " + r.requesterName() + "; tested before approval.\n";
        Instant at = requests.clock().instant();
        MergePlan plan = host.planMerge(targetSha.get(), sourceSha.get(), fastForward, message, MergeExecutor.pinRef(r.id()), at);
        switch (plan) {
            case MergePlan.NothingToMerge n -> fail(r, "nothing to merge: `" + in.get("source") + "` is already in `" + in.get("target") + "`");
            case MergePlan.Conflicts c -> fail(r, "`" + in.get("source") + "` conflicts with `" + in.get("target") + "` in "
                    + String.join(", ", c.paths()) + "; resolve on the branch and propose again");
            case MergePlan.Ready ready -> {
                plans.save(r.id(), new MergePlans.Plan(at, message, fastForward)); // for an instance whose copy lacks the result
                progress.update(r, "testing the merge result " + ready.result().abbrev() + " (" + ready.diff().summary() + ")");
                // the check goes on the head: the merge result exists only in Quorum's copy until it lands
                Tested tested = test(r, host, ready.result(), ready.source(), cancel);
                if (tested.record().isEmpty()) return;
                Subject subject = new Subject(repo, in.get("target"), ready.target().hex(), in.get("source"), ready.source().hex(),
                        ready.result().hex(), tested.record().get().digest(), pull);
                open(r, subject, "merge", ready.diff(), ready.diff().summary(), authors(r, in), tested.note());
            }
        }
    }

    /** Where a pull request's head is now, or why it cannot be merged any more (it may have changed since it was proposed). */
    private sealed interface Source {
        record Head(Sha sha) implements Source {}

        record Refused(String why) implements Source {}
    }

    private Source pullRequestHead(RepoHost host, Map<String, String> in, int number) {
        return switch (PullRequestLookup.find(host, number)) {
            case PullRequestLookup.Lookup.Missing m -> new Source.Refused(m.reason());
            case PullRequestLookup.Lookup.Ok ok -> {
                PullRequest pr = ok.found().pull();
                boolean ownDraft = in.containsKey("work_request") && String.valueOf(number).equals(
                        requests.store().inputs(in.get("work_request")).get(PullRequestSubjects.PULL_REQUEST));
                Optional<String> why = PullRequestSubjects.whyNotMergeable(pr, ok.found().pulls().landing(), host.name(), pr.shown(), ownDraft);
                if (why.isPresent()) yield new Source.Refused(why.get());
                if (!pr.baseRef().equals(in.get("target"))) {
                    yield new Source.Refused("the base of " + pr.shown() + " is now `" + pr.baseRef() + "`, not `" + in.get("target") + "`");
                }
                yield new Source.Head(pr.headSha());
            }
        };
    }

    private void verifyDeploy(Request r, Map<String, String> in, Cancellation cancel) throws IOException {
        String repo = in.get("repo");
        String sha = in.get("sha");
        String environment = in.get("environment");
        RepoHost host = hosts.get(repo);
        host.refresh();
        Optional<String> unshippable = SubjectCheck.whyNotShippable(config, host, environment, in.get("ref"), new Sha(sha));
        if (unshippable.isPresent()) { // the default branch was force-moved since it was proposed
            fail(r, unshippable.get());
            return;
        }
        // The newest passing evidence for this exact commit, unless a later run of it failed (the rule votes are held to)
        Optional<EvidenceRecord> passed = evidence.store().latestPassing(repo, sha)
                .filter(p -> check.whyEvidenceVoid(repo, sha, p.digest()).isEmpty());
        Optional<EvidenceRecord> record;
        String note = "";
        if (passed.isPresent()) {
            record = passed;
            progress.update(r, "attached the evidence " + passed.get().shortDigest() + " for " + new Sha(sha).abbrev());
        } else {
            progress.update(r, "no passing evidence for " + new Sha(sha).abbrev() + " yet: running the tests");
            Tested tested = test(r, host, new Sha(sha), new Sha(sha), cancel);
            record = tested.record();
            note = tested.note();
        }
        if (record.isEmpty()) return;
        String runs = deployed.now(environment).map(SubjectCheck.Deployment::sha).orElse(null);
        DiffStat change = host.diffStat(Sha.ofNullable(runs), new Sha(sha));
        Subject subject = new Subject(repo, environment, runs, in.get("ref"), sha, sha, record.get().digest());
        open(r, subject, "deploy." + environment, change, deployChange(environment, runs, sha, change), List.of(r.requester()), note);
    }

    /**
     * The change a deploy makes, as the card says it: against a never-deployed environment there is
     * nothing to diff, so that is said rather than the whole tree shown as if it were this change.
     */
    private static String deployChange(String environment, String runs, String sha, DiffStat change) {
        if (runs == null) {
            int files = change.paths().size();
            return "first deploy to " + environment + " by Quorum: the whole tree, " + files + (files == 1 ? " file" : " files");
        }
        return runs.equals(sha) ? "no change: " + environment + " already runs " + Sha.abbrev(sha) : change.summary();
    }

    /**
     * What testing a commit gave: the passing record (empty when the request failed or was cancelled), and what to add
     * to the request's last status about posting the check ({@code ""}, or {@code " · the quorum check could not …"}).
     */
    private record Tested(Optional<EvidenceRecord> record, String note) {}

    /**
     * Runs the tests of {@code commit} and posts the verdict on {@code head} on a host with pull requests; the request
     * fails (or is cancelled) unless they pass.
     */
    private Tested test(Request r, RepoHost host, Sha commit, Sha head, Cancellation cancel) {
        String repo = host.name();
        TestTarget target = evidence.targets().of(repo).orElseThrow(() -> new IllegalStateException("repo " + repo + " is not configured"));
        CommitChecks.Publication check = evidence.checks().start(host, head, commit, r.id());
        EvidenceRecord record = evidence.service().run(target, commit.hex(), event -> {
            if (event instanceof RunEvent.StillRunning s) progress.update(r, "testing " + commit.abbrev() + ": running for " + s.elapsed().toSeconds() + " s");
        }, cancel);
        evidence.store().save(record, r.id(), requests.clock().instant());
        check.finish(record);
        String note = check.trouble().map(t -> " · " + t).orElse("");
        if (record.status() == EvidenceStatus.PASSED) return new Tested(Optional.of(record), note);
        String line = EvidenceLine.of(record);
        if (record.status() == EvidenceStatus.CANCELLED) {
            // only when this cancelled it: a request failed meanwhile (a push to its branch) keeps its own last word
            requests.move(r, RequestState.CANCELLED, "quorum", cancel.reason().orElse("cancelled"))
                    .ifPresent(cancelled -> progress.finish(cancelled, "cancelled" + note, Reply.Tone.WARNING));
            return new Tested(Optional.empty(), note);
        }
        fail(r, "the tests did not pass, so there is nothing to vote on: " + line, note);
        List<Reply.Field> failures = new ArrayList<>();
        record.failures().stream().limit(5).forEach(f -> failures.add(new Reply.Field(f.name(), f.message())));
        messenger.post(r.origin(), Reply.text(line).withTone(Reply.Tone.ERROR).withFields(failures).about(r.id()));
        return new Tested(Optional.empty(), note);
    }

    /**
     * @param summary the change as the card shows it
     * @param note    added to the last progress status (a check that could not be posted)
     */
    private void open(Request r, Subject subject, String action, DiffStat change, String summary, List<Identity> authors, String note) {
        Optional<AppliedPolicy> policy = PolicyResolver.resolve(config, action, change.paths());
        if (policy.isEmpty()) {
            fail(r, "no policy covers `" + action + "` any more", note);
            return;
        }
        Optional<Request> open = approvals.open(r, subject, policy.get(), authors, summary);
        if (open.isPresent()) progress.finish(open.get(), "verified; awaiting approval (see the card)" + note, Reply.Tone.INFO);
    }

    /** The requester, whoever asked for the work the merge brings in, and the pull request's author: none may approve. */
    private static List<Identity> authors(Request r, Map<String, String> in) {
        List<Identity> authors = new ArrayList<>(List.of(r.requester()));
        for (String key : List.of("work_requester", PullRequestSubjects.PULL_AUTHOR)) {
            String who = in.get(key);
            if (who != null && !who.isEmpty() && authors.stream().noneMatch(a -> a.toString().equals(who))) authors.add(Identity.parse(who));
        }
        return authors;
    }

    private void fail(Request r, String why) {
        fail(r, why, "");
    }

    private void fail(Request r, String why, String note) {
        requests.find(r.id()).flatMap(now -> requests.move(now, RequestState.FAILED, "quorum", why)).ifPresent(failed -> {
            progress.finish(failed, "failed: " + why + note, Reply.Tone.ERROR);
        });
    }
}
