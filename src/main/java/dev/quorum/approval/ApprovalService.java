package dev.quorum.approval;

import dev.quorum.audit.AuditLog;
import dev.quorum.insights.Rollup;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.Messenger;
import dev.quorum.conversation.Reply;
import dev.quorum.command.NotFound;
import dev.quorum.command.RequestLines;
import dev.quorum.config.Directory;
import dev.quorum.evidence.EvidenceLine;
import dev.quorum.evidence.EvidenceStore;
import dev.quorum.request.FreezeSwitch;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import dev.quorum.request.Requests;
import dev.quorum.request.WorkQueue;
import dev.quorum.store.LuaScript;
import dev.quorum.store.Redis;
import io.lettuce.core.ScriptOutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The quorum rules of SPEC §5, applied: opens a verified action for votes, counts votes (who may
 * vote, where, on which subject), and closes windows that ran out. The decisive steps (record a
 * vote, veto, reach quorum and queue the execution, expire) are Lua scripts, so they happen
 * exactly once however many Quorum instances share the Redis. Every state change of an action
 * request, whoever makes it (a vote, a cancel, expiry, staleness, the execution), redraws its
 * card, so the card never says a state the request has left. Thread-safe; blocking.
 */
public final class ApprovalService {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalService.class);
    private static final ReentrantLock[] CARD_LOCKS = new ReentrantLock[64];

    static {
        for (int i = 0; i < CARD_LOCKS.length; i++) CARD_LOCKS[i] = new ReentrantLock();
    }

    private final Requests requests;
    private final ActionStore store;
    private final EvidenceStore evidence;
    private final SubjectCheck check;
    private final Directory directory;
    private final ApprovalCard card;
    private final Messenger messenger;
    private final AuditLog audit;
    private final Redis redis;
    private final FreezeSwitch freeze;
    private final Clock clock;
    private final LuaScript tally = LuaScript.load("vote_tally", Rollup.LIBRARY);
    private final LuaScript release = LuaScript.load("approval_release", Rollup.LIBRARY);
    private final LuaScript expire = LuaScript.load("approval_expire", Rollup.LIBRARY);

    public ApprovalService(Requests requests, ActionStore store, EvidenceStore evidence, SubjectCheck check,
                           Directory directory, ApprovalCard card, Messenger messenger, AuditLog audit, Redis redis, Clock clock) {
        this.requests = requests;
        this.store = store;
        this.evidence = evidence;
        this.check = check;
        this.directory = directory;
        this.card = card;
        this.messenger = messenger;
        this.audit = audit;
        this.redis = redis;
        this.freeze = new FreezeSwitch(redis);
        this.clock = clock;
        requests.onChange(this::redrawOnChange); // last: every field is set before another thread can call it
    }

    /** Told of every request change: an action's card follows its state. */
    private void redrawOnChange(Request r) {
        if (r.type().isAction() && r.state() != RequestState.QUEUED && r.state() != RequestState.VERIFYING) {
            refreshCard(r.id());
        }
    }

    /**
     * Opens a verified request for votes: fixes subject, rule and authors, starts the window and
     * posts the card. The request must be {@code verifying}.
     *
     * @return the request, now awaiting approval; empty if it left {@code verifying} meanwhile (cancelled)
     */
    public Optional<Request> open(Request verifying, Subject subject, AppliedPolicy policy, List<Identity> authors, String diffSummary) {
        Instant expiresAt = clock.instant().plus(policy.ttl());
        store.open(verifying.id(), subject, policy, authors, diffSummary, expiresAt);
        Optional<Request> open = requests.move(verifying, RequestState.AWAITING_APPROVAL, "quorum", null);
        if (open.isEmpty()) return open;
        audit.append("approval.opened", "quorum", verifying.id(), AuditLog.details(
                "subject", subject.toMap(), "subject_digest", subject.digest(), "policy", policy.describe(),
                "authors", authors.stream().map(Identity::toString).toList(), "expires_at", expiresAt.toString()));
        ActionRecord record = store.find(verifying.id()).orElseThrow();
        store.setCard(verifying.id(), messenger.post(verifying.origin(), render(open.get(), record)));
        return open;
    }

    /** Counts a vote by the message's sender, or says why it cannot count. Never throws for user errors. */
    public VoteOutcome vote(IncomingMessage msg, String requestId, boolean approve, String reason) throws IOException {
        String kind = approve ? "approve" : "reject";
        Optional<Request> found = requests.find(requestId);
        if (found.isEmpty()) return refused(null, msg, kind, NotFound.request(requests, requestId));
        Request r = found.get();
        Optional<String> closed = notOpen(r);
        if (closed.isPresent()) return refused(r, msg, kind, closed.get());
        ActionRecord a = store.find(r.id()).orElseThrow(() -> new IllegalStateException(r.id() + " awaits approval without an action record"));
        if (!msg.where().votesHereCountFor(r.origin()) && !saidOnItsPullRequest(msg.where(), a.subject())) {
            return refused(r, msg, kind, "Votes on " + r.id() + " count only where the team sees them: in the channel where it was "
                    + "proposed (" + r.origin().adapter() + ")" + (a.subject().pullRequest() == null ? ""
                    : ", in the comments of pull request #" + a.subject().pullRequest()) + ", or on its card in the Quorum console.");
        }
        Optional<String> rule = whoMayNot(r, a, msg.sender(), msg.roles(), approve);
        if (rule.isPresent()) return refused(r, msg, kind, rule.get());
        List<String> groups = List.copyOf(directory.groupsOf(msg.sender(), msg.roles()));
        Optional<String> stale;
        try {
            stale = check.whyStale(r, a.subject());
        } catch (IOException e) { // a host's messages are for the log: they may name its address
            LOG.warn("Could not check the subject of {} for a vote by {}: {}", r.id(), msg.sender(), e.toString());
            return refused(r, msg, kind, "Quorum could not check that " + r.id() + " still holds (its repository or GitHub did not answer), "
                    + "so your vote was not counted; try again in a moment.");
        }
        if (stale.isPresent()) {
            markStale(r, stale.get());
            return refused(r, msg, kind, r.id() + " went stale: " + stale.get() + ". Votes are void; propose it again.");
        }
        Instant now = clock.instant();
        Vote vote = new Vote(msg.sender().toString(), directory.nameOf(msg.sender(), msg.displayName()), kind, now, groups, reason, a.subject().digest());
        String rejectReason = "rejected by " + vote.name() + (reason == null ? "" : ": " + reason);
        // The script audits the change it makes in the same step, so the reason for a quorum is worked out before it
        List<Vote> withThis = new java.util.ArrayList<>(store.votes(r.id()));
        withThis.add(vote);
        String quorumReason = "quorum reached: " + Tally.of(a.policy(), withThis).line();
        List<String> result = tally.run(redis.sync(), ScriptOutputType.MULTI, tallyKeys(r, msg.sender(), WorkQueue.STREAM),
                tallyArgs(r, directory.personOf(msg.sender()), vote, rejectReason, quorumReason));
        redis.durable(); // an acknowledged vote outlives a failover (store.Durability)
        String outcome = result.getFirst();
        List<Vote> votes = store.votes(r.id());
        Tally t = Tally.of(a.policy(), votes);
        VoteOutcome out = switch (outcome) {
            case "counted" -> new VoteOutcome.Counted(t);
            case "executing" -> new VoteOutcome.QuorumReached(t);
            case "frozen" -> new VoteOutcome.WaitsForUnfreeze(t);
            case "rejected" -> new VoteOutcome.Rejected(vote.name(), reason);
            case "repeat" -> new VoteOutcome.Refused(alreadyVoted(r));
            case "expired" -> new VoteOutcome.Refused(expired(r));
            case "closed" -> new VoteOutcome.Refused(r.id() + " is already " + result.get(1) + "; votes on a closed request change nothing.");
            default -> new VoteOutcome.Refused(r.id() + " changed while you voted; look at its card again.");
        };
        audit.append(out instanceof VoteOutcome.Refused ? "vote.refused" : "vote", msg.sender().toString(), r.id(), AuditLog.details(
                "vote", kind, "outcome", outcome, "subject_digest", a.subject().digest(), "reason", reason == null ? "" : reason,
                "tally", t.line()));
        switch (outcome) {
            case "executing" -> stateChanged(r, RequestState.AWAITING_APPROVAL, RequestState.EXECUTING, quorumReason);
            case "rejected" -> stateChanged(r, RequestState.AWAITING_APPROVAL, RequestState.REJECTED, rejectReason);
            case "expired" -> stateChanged(r, RequestState.AWAITING_APPROVAL, RequestState.EXPIRED, "the approval window closed");
            default -> { }
        }
        if (outcome.equals("counted") || outcome.equals("frozen")) { // the others changed the state, which redrew the card
            refreshCard(r.id());
        }
        return out;
    }

    /**
     * Whether {@code who} may vote on {@code r} now, and why not, by the rules {@link #vote} applies, for a
     * place that shows every card (the console): open, not past its window, quorum not yet reached, one of the
     * eligible groups, not voted already, and for an approval not an author. Whether the subject still holds
     * is not asked here (that asks the repository); a vote cast checks it. Blocking (reads Redis).
     */
    public MayVote mayVote(Request r, Identity who, Set<String> roles) {
        Optional<String> closed = notOpen(r);
        if (closed.isPresent()) return MayVote.no(closed.get());
        Optional<ActionRecord> a = store.find(r.id());
        if (a.isEmpty()) return MayVote.no(r.id() + " is still being verified (tests run on the exact change first); votes open when its card is posted.");
        if (!a.get().expiresAt().isAfter(clock.instant())) return MayVote.no(expired(r));
        Optional<String> rule = whoMayNot(r, a.get(), who, roles, false);
        if (rule.isPresent()) return MayVote.no(rule.get());
        if (store.hasVoted(r.id(), directory.personOf(who))) return MayVote.no(alreadyVoted(r));
        return whoMayNot(r, a.get(), who, roles, true).map(why -> new MayVote(false, true, why)).orElse(MayVote.YES);
    }

    /**
     * vote_tally.lua's KEYS for a vote by {@code voter} on {@code r}, in the script's order: the one list of them, which
     * {@link #vote} and the test seeders both pass, so that a key added to the script is added here once.
     *
     * @param work the stream a reached quorum queues the execution on: {@link WorkQueue#STREAM}, or a seeder's own
     */
    public static String[] tallyKeys(Request r, Identity voter, String work) {
        return new String[]{RequestStore.key(r.id()), ActionStore.actionKey(r.id()), ActionStore.votesKey(r.id()), "{q}:freeze",
                RequestStore.stateIndex(RequestState.AWAITING_APPROVAL), RequestStore.stateIndex(RequestState.EXECUTING),
                RequestStore.stateIndex(RequestState.REJECTED), RequestStore.stateIndex(RequestState.EXPIRED), work,
                ActionStore.orderKey(r.id()), AuditLog.OUTBOX, RequestStore.approverIndex(voter), RequestStore.updatedIndex(),
                Rollup.dayKey(r.createdAt()), Rollup.slicesKey(r.createdAt())};
    }

    /**
     * vote_tally.lua's ARGV, in its order, for {@link #tallyKeys}: {@code person} is the voter's person key (one vote
     * per person, whichever platform), the vote is bound to {@link Vote#subject()}, and the reasons are what the state
     * change is audited with when the vote vetoes or reaches the quorum.
     */
    public static String[] tallyArgs(Request r, String person, Vote vote, String rejectReason, String quorumReason) {
        return new String[]{person, ActionStore.write(vote), vote.vote(), String.valueOf(vote.at().toEpochMilli()), vote.subject(),
                r.id(), String.valueOf(r.number()), rejectReason, quorumReason};
    }

    /** approval_expire.lua's KEYS for {@code r}, in the script's order: {@link #expireDue}'s and the test seeders'. */
    public static String[] expireKeys(Request r) {
        return new String[]{RequestStore.key(r.id()), ActionStore.actionKey(r.id()), RequestStore.stateIndex(RequestState.AWAITING_APPROVAL),
                RequestStore.stateIndex(RequestState.EXPIRED), AuditLog.OUTBOX, RequestStore.updatedIndex(), Rollup.dayKey(r.createdAt()),
                Rollup.slicesKey(r.createdAt())};
    }

    /** approval_expire.lua's ARGV, in its order, for {@link #expireKeys}: closes the window if it ran out by {@code now}. */
    public static String[] expireArgs(Request r, Instant now) {
        return new String[]{String.valueOf(now.toEpochMilli()), r.id(), String.valueOf(r.number())};
    }

    /** Why a request takes no votes (not an action, still verifying, closed); empty while it awaits them. */
    private static Optional<String> notOpen(Request r) {
        if (!r.type().isAction()) {
            return Optional.of(r.id() + " is a " + r.type().wire() + " request; only merges and deployments take votes.");
        }
        if (r.state() == RequestState.QUEUED || r.state() == RequestState.VERIFYING) {
            return Optional.of(r.id() + " is still being verified (tests run on the exact change first); votes open when its card is posted.");
        }
        if (r.state() != RequestState.AWAITING_APPROVAL) {
            return Optional.of(r.id() + " is already " + RequestLines.state(r.state()) + "; votes on a closed request change nothing.");
        }
        return Optional.empty();
    }

    /** Why this person's vote (an approval when {@code approve}) cannot count on an open request: quorum, groups, authorship. */
    private Optional<String> whoMayNot(Request r, ActionRecord a, Identity who, Set<String> roles, boolean approve) {
        if (a.quorumReached() != null) {
            return Optional.of(r.id() + " already has its quorum; it executes when Quorum is unfrozen.");
        }
        if (directory.groupsOf(who, roles).stream().noneMatch(a.policy().eligible()::contains)) {
            return Optional.of("Only members of " + String.join(" or ", a.policy().eligible())
                    + " may vote on " + r.id() + "; your vote cannot count.");
        }
        if (approve && a.authors().stream().anyMatch(author -> directory.samePerson(author, who))) {
            String why = a.subject().pullRequest() == null ? "you asked for it, or for the work in it"
                    : "you asked for it, opened its pull request, or asked for the work in it";
            return Optional.of("You are an author of " + r.id() + " (" + why + "), so you cannot approve it: someone else must.");
        }
        return Optional.empty();
    }

    private static String alreadyVoted(Request r) {
        return "You already voted on " + r.id() + "; a vote counts once.";
    }

    private static String expired(Request r) {
        return r.id() + " expired: its approval window closed before a quorum was reached.";
    }

    /** A merge of a pull request is reviewed in the pull request's comments: votes said there count for it. */
    private static boolean saidOnItsPullRequest(Conversation where, Subject s) {
        return s.pullRequest() != null && where.sameChannel(Conversation.pullRequest(s.repo(), s.pullRequest()));
    }

    private VoteOutcome refused(Request r, IncomingMessage msg, String kind, String why) {
        audit.append("vote.refused", msg.sender().toString(), r == null ? null : r.id(), AuditLog.details("vote", kind, "why", why));
        return new VoteOutcome.Refused(why);
    }

    /** The subject moved: the request goes stale, its votes are void, and the channel is told. */
    public void markStale(Request r, String why) {
        store.voidVotes(r.id());
        Optional<Request> stale = requests.move(r, RequestState.STALE, "quorum", why + "; votes are void");
        if (stale.isEmpty()) return;
        messenger.post(r.origin(), Reply.text(r.id() + " is stale: " + why + ". Its votes are void and nothing was changed; propose it again to vote on the new state.")
                .withTone(Reply.Tone.WARNING).about(r.id()));
    }

    /**
     * Checks an awaiting request's subject again now, because its code host said something under it
     * moved (a push, a pull request changed): stale at once, its votes void, when it no longer holds.
     *
     * @return why it went stale; empty when the subject still holds or the request no longer awaits votes
     */
    public Optional<String> recheck(Request r) throws IOException {
        Optional<ActionRecord> a = store.find(r.id());
        if (r.state() != RequestState.AWAITING_APPROVAL || a.isEmpty()) return Optional.empty();
        Optional<String> stale = check.whyStale(r, a.get().subject());
        stale.ifPresent(why -> markStale(r, why));
        return stale;
    }

    /** Closes every window that ran out; run periodically on every instance (and at start, so expiry survives restarts). */
    public int expireDue() {
        int expired = 0;
        Instant now = clock.instant();
        for (String id : redis.sync().zrange(RequestStore.stateIndex(RequestState.AWAITING_APPROVAL), 0, -1)) {
            Optional<Request> r = requests.find(id);
            if (r.isEmpty()) continue;
            Long done = expire.run(redis.sync(), ScriptOutputType.INTEGER, expireKeys(r.get()), expireArgs(r.get(), now));
            if (done != null && done == 1) {
                expired++;
                stateChanged(r.get(), RequestState.AWAITING_APPROVAL, RequestState.EXPIRED, "the approval window closed before a quorum was reached");
                messenger.post(r.get().origin(), Reply.text(r.get().id() + " expired: no quorum within its window. Nothing was changed.")
                        .withTone(Reply.Tone.WARNING).about(id));
            }
        }
        return expired;
    }

    /** After {@code unfreeze}: actions that reached quorum meanwhile execute, if still valid. */
    public int releaseAfterUnfreeze(String actor) {
        int released = 0;
        Instant now = clock.instant();
        for (String id : redis.sync().zrange(RequestStore.stateIndex(RequestState.AWAITING_APPROVAL), 0, -1)) {
            Optional<Request> found = requests.find(id);
            Optional<ActionRecord> a = store.find(id);
            if (found.isEmpty() || a.isEmpty() || a.get().quorumReached() == null) continue;
            Request r = found.get();
            try {
                Optional<String> stale = check.whyStale(r, a.get().subject());
                if (stale.isPresent()) {
                    markStale(r, stale.get());
                    continue;
                }
            } catch (IOException e) {
                LOG.warn("Could not check {} after unfreeze; it stays waiting: {}", id, e.toString());
                continue;
            }
            String releasedReason = "quorum reached during the freeze; released by " + actor;
            String outcome = release.run(redis.sync(), ScriptOutputType.VALUE, new String[]{RequestStore.key(id), ActionStore.actionKey(id),
                    "{q}:freeze", RequestStore.stateIndex(RequestState.AWAITING_APPROVAL), RequestStore.stateIndex(RequestState.EXECUTING),
                    RequestStore.stateIndex(RequestState.EXPIRED), WorkQueue.STREAM, AuditLog.OUTBOX, RequestStore.updatedIndex(), Rollup.dayKey(r.createdAt()),
                    Rollup.slicesKey(r.createdAt())}, String.valueOf(now.toEpochMilli()), id,
                    String.valueOf(r.number()), releasedReason);
            if ("executing".equals(outcome)) {
                released++;
                stateChanged(r, RequestState.AWAITING_APPROVAL, RequestState.EXECUTING, releasedReason);
                messenger.post(r.origin(), Reply.text(r.id() + " had its quorum during the freeze and executes now.").about(id));
            } else if ("expired".equals(outcome)) {
                stateChanged(r, RequestState.AWAITING_APPROVAL, RequestState.EXPIRED, "the approval window closed while Quorum was frozen");
                messenger.post(r.origin(), Reply.text(r.id() + " expired while Quorum was frozen; nothing was changed.").withTone(Reply.Tone.WARNING).about(id));
            }
        }
        return released;
    }

    /**
     * Redraws the card with the state and tally read now; a failed edit is logged, never fatal.
     * State changes redraw by themselves; this is for what changes without one (a freeze begins or ends under an execution).
     */
    public void refreshCard(String id) {
        // Read and draw under the request's lock: two changes close together (the vote that reached
        // quorum, the execution that finished) must not land in chat in the wrong order
        ReentrantLock lock = CARD_LOCKS[Math.floorMod(id.hashCode(), CARD_LOCKS.length)];
        lock.lock();
        try {
            Optional<Request> r = requests.find(id);
            Optional<ActionRecord> a = store.find(id);
            if (r.isEmpty() || a.isEmpty() || a.get().card() == null) return;
            messenger.update(a.get().card(), render(r.get(), a.get(), store.votes(id)));
        } catch (RuntimeException e) {
            LOG.warn("Could not update the card of {}: {}", id, e.toString());
        } finally {
            lock.unlock();
        }
    }

    public Reply render(Request r, ActionRecord a) {
        return render(r, a, store.votes(r.id()));
    }

    private Reply render(Request r, ActionRecord a, List<Vote> votes) {
        String digest = a.subject().evidenceDigest();
        String line = evidence.find(digest).map(EvidenceLine::of)
                .orElse("evidence " + digest.substring(0, Math.min(8, digest.length())) + " (its record is gone)");
        return card.render(r, a, votes, line, freeze.isFrozen(), clock.instant());
    }

    /** A change an atomic script made (and audited to the outbox in its step): sealed, logged and told to live views like every other one. */
    private void stateChanged(Request r, RequestState from, RequestState to, String reason) {
        requests.moved(r, from, to, "quorum", reason);
    }

    public ActionStore store() {
        return store;
    }
}
