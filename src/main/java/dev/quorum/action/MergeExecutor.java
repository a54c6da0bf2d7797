package dev.quorum.action;

import dev.quorum.approval.ActionRecord;
import dev.quorum.approval.Subject;
import dev.quorum.audit.AuditLog;
import dev.quorum.repo.CommitNotFoundException;
import dev.quorum.repo.MergeOutcome;
import dev.quorum.repo.MergePlan;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.PullRequests;
import dev.quorum.repo.RefResolutionException;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import dev.quorum.request.Request;
import dev.quorum.store.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Lands an approved merge. By default (and for every merge that is no pull request) the target branch moves to the
 * exact merge result that was tested and approved, with a compare-and-set from the commit the vote saw: if the target
 * moved meanwhile, nothing is merged and the request goes stale; on a remote host that is a non-force push.
 *
 * <p>A pull request on a host whose {@code landing} is {@link PullRequests.Landing#MERGE_API} lands through the host's
 * merge API with the head SHA the votes saw: a head pushed to since → stale, nothing landed; a refusal (conflict,
 * branch protection) → failed with the host's reason. The host writes that commit itself (a merge, a squash, a
 * rebase), so its tree is then compared with the tested result's; another tree (the base moved between the last check
 * and the merge) is said loudly in the reply and audited.
 *
 * <p>Either way the target's lock is checked (fenced) right before: the branch's compare-and-set guards against
 * another merge having moved it, the lock check against a second execution of this one being under way. And either
 * way the intent is recorded first ({@link ExecutionRecords}), so that an execution interrupted after it landed (Quorum
 * killed between the push or GitHub's merge and the request's move to {@code done}) is finished from the target ref
 * by the next delivery, never landed twice nor called stale.
 */
public final class MergeExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(MergeExecutor.class);

    /** What the audit entry of a landing finished from the target ref says. */
    static final String LANDED_EARLIER = "landed by the interrupted attempt";

    private final RepoHosts hosts;
    private final AuditLog audit;
    private final ExecutionRecords records;
    private final MergePlans plans;

    public MergeExecutor(RepoHosts hosts, AuditLog audit, Redis redis) {
        this.hosts = hosts;
        this.audit = audit;
        this.records = new ExecutionRecords(redis);
        this.plans = new MergePlans(redis);
    }

    /** Where the merge commit of request {@code requestId} is pinned in a host's copy until it lands (outliving gc). */
    static String pinRef(String requestId) {
        return "refs/quorum/merges/" + requestId;
    }

    /**
     * Why the tested merge commit cannot be had in this instance's copy of the repository; empty once it is there. A
     * fast-forward lands the source itself. A merge commit another instance verified (a remote host's mirror is each
     * instance's own) is written again from its plan ({@link MergePlans}), and must come out as the very commit tested.
     */
    private Optional<String> whyNotAtHand(Request r, Subject s, RepoHost host) throws IOException {
        Sha tested = new Sha(s.resultSha());
        if (s.resultSha().equals(s.sourceSha()) || atHand(host, tested)) return Optional.empty();
        Optional<MergePlans.Plan> plan = plans.find(r.id());
        String missing = "the tested merge " + tested.abbrev() + " is not in this instance's copy of repo " + s.repo();
        if (plan.isEmpty()) return Optional.of(missing + ", and how it was written was not recorded");
        MergePlan again = host.planMerge(new Sha(s.targetSha()), new Sha(s.sourceSha()), plan.get().fastForward(), plan.get().message(),
                pinRef(r.id()), plan.get().at());
        if (again instanceof MergePlan.Ready ready && ready.result().equals(tested)) return Optional.empty();
        return Optional.of(missing + ", and writing it again from its plan did not give the same commit");
    }

    /** Whether the host's copy has {@code commit}: comparing a commit's tree with itself reads it and nothing else. */
    private static boolean atHand(RepoHost host, Sha commit) throws IOException {
        try {
            return host.sameTree(commit, commit);
        } catch (CommitNotFoundException e) {
            return false;
        }
    }

    /**
     * What an earlier delivery of this execution did, decided from the target ref (and for the merge API from the pull
     * request): it landed → {@code done}, with the reply a landing gives; it landed nothing but recorded why (refused,
     * stale) → that, not tried again; its record does not match the approved subject (forged, or another request's) →
     * {@code failed}, nothing landed. Empty when no delivery started one, or one did and nothing landed: the caller then checks the subject as ever (a target moved by someone else is stale; one still at
     * the voted base lands now, once, through {@link #execute}).
     */
    Optional<Execution> earlier(Request r, ActionRecord a) throws IOException {
        Map<String, String> record = records.get(r.id());
        if (record.isEmpty()) return Optional.empty();
        Subject s = a.subject();
        Optional<String> foreign = Intent.whyNotOf(record, s);
        if (foreign.isPresent()) return Optional.of(refused(r, s, foreign.get()));
        RepoHost host = hosts.get(s.repo());
        host.refresh();
        Optional<Execution> landed = switch (Intent.landingOf(record)) {
            case PUSH -> pushedEarlier(s, host);
            case MERGE_API -> mergedEarlier(r, s, host, record);
        };
        landed.ifPresent(done -> {
            LOG.warn("{}: the interrupted execution had landed; finishing it from `{}`", r.id(), s.target());
            finished(r, done);
        });
        return landed.isPresent() ? landed : unlanded(record);
    }

    /**
     * An earlier delivery's recorded end that landed nothing (the host refused, the target had moved), reported as it was
     * and not tried a second time; empty when none was recorded (it stopped before its answer: the caller goes on).
     */
    private static Optional<Execution> unlanded(Map<String, String> record) {
        String summary = record.getOrDefault("summary", "");
        return switch (record.getOrDefault("outcome", "")) {
            case "failed" -> Optional.of(new Execution.Failed(summary + ExecutionRecords.NOT_AGAIN, ""));
            case "stale" -> Optional.of(new Execution.Stale(summary));
            default -> Optional.empty();
        };
    }

    /** The tested commit is the target, or (Quorum's own merge commit, which nobody else has) in its history. */
    private static Optional<Execution> pushedEarlier(Subject s, RepoHost host) throws IOException {
        Sha result = new Sha(s.resultSha());
        Optional<Sha> head = host.head(s.target());
        boolean landed = head.isPresent() && (head.get().equals(result)
                || !s.resultSha().equals(s.sourceSha()) && host.isOnBranch(result, s.target()));
        return landed ? Optional.of(pushed(s).withNote(LANDED_EARLIER)) : Optional.empty();
    }

    private Optional<Execution> mergedEarlier(Request r, Subject s, RepoHost host, Map<String, String> record) throws IOException {
        Optional<PullRequests> pulls = host.pullRequests();
        if (pulls.isEmpty() || s.pullRequest() == null) return Optional.empty();
        PullRequest now;
        try {
            now = pulls.get().find(s.pullRequest());
        } catch (RefResolutionException e) {
            throw new IOException(e.getMessage(), e); // nothing is decided on a guess
        }
        if (!now.merged()) return Optional.empty();
        Optional<Sha> landed = Optional.ofNullable(now.mergeCommit()).or(() -> Sha.parse(record.getOrDefault("landed", "")));
        if (landed.isEmpty()) landed = host.head(s.target());
        if (landed.isEmpty()) return Optional.empty();
        whyNotAtHand(r, s, host); // to compare trees; without the tested commit the reply says it could not
        return Optional.of(landed(r, s, host, landed.get(), new Sha(s.resultSha())).withNote(LANDED_EARLIER));
    }

    /** A record that is not this subject's lands nothing: the commit to land is only ever the approved subject's. */
    private Execution refused(Request r, Subject s, String why) {
        audit.append("merge.intent_mismatch", "quorum", r.id(), AuditLog.details("why", why, "subject_digest", s.digest()));
        LOG.error("{}: its execution record does not match the approved subject ({}); nothing lands", r.id(), why);
        return new Execution.Failed("its execution record does not match what was approved (" + why + "), so nothing landed. "
                + "Check `" + s.target() + "` and propose the merge again.", "");
    }

    /**
     * Lands, once: the intent (the exact commit, the base it expects, the landing, the fencing token) is recorded in
     * the execution's claim before anything moves, so that a delivery after a crash decides from the target
     * ({@link #earlier}) instead of landing again or calling a landed merge stale.
     *
     * @param held the target's lock, confirmed still ours right before the branch moves: a holder whose lease ran
     *             out (and whom another execution may have followed) lands nothing
     */
    Execution execute(Request r, ActionRecord a, String approvers, TargetLock.Held held) throws IOException {
        Subject s = a.subject();
        Optional<String> lost = held.check();
        if (lost.isPresent()) return new Execution.Failed("nothing landed: " + lost.get() + ".", "");
        RepoHost host = hosts.get(s.repo());
        Optional<PullRequests> pulls = s.pullRequest() == null ? Optional.empty()
                : host.pullRequests().filter(p -> p.landing() == PullRequests.Landing.MERGE_API);
        Intent intent = Intent.of(s, pulls.isPresent() ? PullRequests.Landing.MERGE_API : PullRequests.Landing.PUSH, held.fence());
        Optional<Map<String, String>> earlier = records.claim(r.id(), intent.fields());
        if (earlier.isPresent()) { // an earlier delivery recorded it and landed nothing ({@link #earlier} said so)
            Optional<String> foreign = Intent.whyNotOf(earlier.get(), s);
            if (foreign.isPresent()) return refused(r, s, foreign.get());
            records.put(r.id(), Map.of("fence", String.valueOf(held.fence())));
        }
        Optional<String> missing = whyNotAtHand(r, s, host);
        if (missing.isPresent()) { // recorded as the end it is: a redelivery reports it rather than trying again
            Execution failed = new Execution.Failed(missing.get() + "; nothing landed. Propose the merge again.", "");
            finished(r, failed);
            return failed;
        }
        Execution result = pulls.isPresent() ? throughMergeApi(r, s, host, pulls.get(), approvers) : byPush(r, s, host, approvers);
        finished(r, result);
        return result;
    }

    /** The outcome, kept with the intent for the request's {@code execution} (the target ref still decides a redelivery). */
    private void finished(Request r, Execution result) {
        records.finish(r.id(), result, "");
    }

    private static Execution byPush(Request r, Subject s, RepoHost host, String approvers) throws IOException {
        RepoHost.Move move = host.compareAndSet(s.target(), new Sha(s.targetSha()), new Sha(s.resultSha()),
                "quorum: " + r.id() + " merges " + s.source() + ", approved by " + approvers);
        return switch (move) {
            case MOVED, ALREADY_THERE -> pushed(s);
            case MOVED_ELSEWHERE -> new Execution.Stale("`" + s.target() + "` moved while the merge was executing");
        };
    }

    private static Execution.Done pushed(Subject s) {
        return new Execution.Done("`" + s.target() + "` is now " + new Sha(s.resultSha()).abbrev()
                + (s.resultSha().equals(s.sourceSha()) ? " (fast-forward to `" + s.source() + "`)" : ", the tested merge of `" + s.source() + "`")
                + " (evidence " + evidence(s) + ").", "");
    }

    private Execution throughMergeApi(Request r, Subject s, RepoHost host, PullRequests pulls, String approvers) throws IOException {
        String pr = "#" + s.pullRequest();
        Sha head = new Sha(s.sourceSha());
        Sha tested = new Sha(s.resultSha());
        MergeOutcome outcome = pulls.merge(s.pullRequest(), head, "Merge " + pr + " into " + s.target() + " (Quorum " + r.id() + ")",
                "Proposed in Quorum " + r.id() + " by " + r.requesterName() + "; the merge of head " + head.abbrev() + " into "
                        + shortSha(s.targetSha()) + " was tested before approval (" + tested.abbrev() + ", evidence " + evidence(s)
                        + "). Approved by " + approvers + ".");
        if (outcome instanceof MergeOutcome.Merged(Sha landed)) records.put(r.id(), Map.of("landed", landed.hex()));
        return switch (outcome) {
            case MergeOutcome.HeadMoved moved -> new Execution.Stale("the head of pull request " + pr + " moved while the merge was "
                    + "executing (GitHub: " + moved.message() + ")");
            case MergeOutcome.NotMergeable refused -> new Execution.Failed("GitHub refused to merge pull request " + pr + ": "
                    + clause(refused.message()) + ". Nothing landed.", "");
            case MergeOutcome.Merged merged -> landed(r, s, host, merged.sha(), tested);
        };
    }

    /** What the merge API landed, compared with what was tested: the tree is what was approved, however the commit was written. */
    private Execution.Done landed(Request r, Subject s, RepoHost host, Sha landed, Sha tested) throws IOException {
        host.refresh(); // the host's copy gets the commit GitHub wrote
        String pr = "#" + s.pullRequest();
        String why;
        try {
            if (host.sameTree(landed, tested)) {
                return new Execution.Done("`" + s.target() + "` is now " + landed.abbrev() + ": GitHub merged pull request " + pr
                        + " with exactly the tested tree of " + tested.abbrev() + " (evidence " + evidence(s) + ").", "");
            }
            why = "landed " + landed.abbrev() + " whose tree differs from the tested " + tested.abbrev() + ": the base moved under the merge API";
        } catch (CommitNotFoundException e) { // GitHub named a commit its own repository does not show: nothing to compare
            why = "landed " + landed.abbrev() + ", which the repository does not show, so its tree cannot be compared with the tested "
                    + tested.abbrev();
        }
        audit.append("merge.tree_mismatch", "quorum", r.id(), AuditLog.details("pull_request", s.pullRequest(), "landed", landed.hex(),
                "tested", tested.hex(), "why", why, "subject_digest", s.digest()));
        return new Execution.Done("GitHub merged pull request " + pr + " into `" + s.target() + "`, but it " + why
                + ". Check `" + s.target() + "`: what landed was not tested by Quorum.", "", true);
    }

    /** A host's sentence as a clause: its own full stop dropped, so the reply does not show two. */
    private static String clause(String message) {
        return message == null || message.isBlank() ? "no reason given" : message.strip().replaceAll("\\.+$", "");
    }

    private static String evidence(Subject s) {
        return s.evidenceDigest().substring(0, Math.min(8, s.evidenceDigest().length()));
    }

    private static String shortSha(String sha) {
        return sha == null ? "?" : Sha.abbrev(sha);
    }

    /**
     * What a merge's execution is about to do, as its record holds it: the exact commit that lands ({@code push}: the
     * target moves to it; {@code merge_api}: the head the host is asked to merge), the base the votes saw, the subject's
     * digest and the landing. A record is this subject's only when all of them are: what lands comes from the approved
     * subject alone, never from the record, and a record that disagrees (written by anyone who can write Redis) lands nothing.
     */
    private record Intent(PullRequests.Landing landing, String commit, String tested, String base, String digest, long fence) {
        static Intent of(Subject s, PullRequests.Landing landing, long fence) {
            return new Intent(landing, landing == PullRequests.Landing.MERGE_API ? s.sourceSha() : s.resultSha(), s.resultSha(),
                    String.valueOf(s.targetSha()), s.digest(), fence);
        }

        Map<String, String> fields() {
            return Map.of("action", "merge", "landing", landing.name().toLowerCase(Locale.ROOT), "commit", commit, "tested", tested,
                    "base", base, "subject_digest", digest, "fence", String.valueOf(fence));
        }

        static PullRequests.Landing landingOf(Map<String, String> record) {
            return "merge_api".equals(record.get("landing")) ? PullRequests.Landing.MERGE_API : PullRequests.Landing.PUSH;
        }

        /** Why {@code record} is not an intent to land {@code s}; empty when it is. */
        static Optional<String> whyNotOf(Map<String, String> record, Subject s) {
            if (!"merge".equals(record.get("action"))) return Optional.of("it is no merge's");
            if (!s.digest().equals(record.get("subject_digest"))) return Optional.of("another subject's digest");
            PullRequests.Landing landing = landingOf(record);
            if (!landing.name().toLowerCase(Locale.ROOT).equals(record.get("landing"))) return Optional.of("an unknown landing");
            if (landing == PullRequests.Landing.MERGE_API && s.pullRequest() == null) return Optional.of("a merge API landing of no pull request");
            Intent expected = of(s, landing, 0);
            if (!expected.commit.equals(record.get("commit")) || !expected.tested.equals(record.get("tested"))) {
                return Optional.of("another commit than the approved one"); // the record's own text is never shown
            }
            if (!expected.base.equals(record.get("base"))) return Optional.of("another base than the votes saw");
            return Optional.empty();
        }
    }
}
