package dev.quorum.approval;

import dev.quorum.action.ActionTestAccess;
import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Messenger;
import dev.quorum.config.Directory;
import dev.quorum.config.QuorumConfig;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceStatus;
import dev.quorum.evidence.EvidenceStore;
import dev.quorum.evidence.TestCounts;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import dev.quorum.repo.MergePlan;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Delivery;
import dev.quorum.request.FreezeSwitch;
import dev.quorum.request.JobHandler;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;
import dev.quorum.request.WorkQueue;
import dev.quorum.store.Redis;
import dev.quorum.testing.RecordingAdapter;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Quorum's approval services wired by hand on a real Redis and a real repository, without HTTP
 * or worker threads, so that a test decides when each step runs. A new rig on the same Redis is
 * a restarted Quorum: everything it knows comes from Redis.
 */
final class ApprovalRig implements AutoCloseable {
    static final Conversation ROOM = new Conversation("console", "general", null);

    final Redis redis;
    final QuorumConfig config;
    final Requests requests;
    final ApprovalService approvals;
    final FreezeSwitch freeze;
    final WorkQueue queue;
    final AuditLog audit;
    final EvidenceStore evidence;
    final RecordingAdapter chat = new RecordingAdapter("console");
    private final JobHandler execute;

    ApprovalRig(String redisUri, QuorumConfig config, Clock clock) throws java.io.IOException {
        this.redis = Redis.connect(redisUri);
        this.config = config;
        this.audit = AuditLog.open(redis, clock, config.dataDir());
        this.queue = new WorkQueue(redis);
        this.requests = new Requests(new RequestStore(redis), audit, queue, clock);
        this.freeze = new FreezeSwitch(redis);
        this.evidence = new EvidenceStore(redis, audit.key());
        Messenger messenger = new Messenger();
        messenger.register(chat);
        Directory directory = new Directory(config);
        SubjectCheck check = new SubjectCheck(config, RepoHosts.from(config), evidence, ActionTestAccess.deployments(redis));
        this.approvals = new ApprovalService(requests, new ActionStore(redis), evidence, check, directory,
                new ApprovalCard(directory, new Links("http://localhost")), messenger, audit, redis, clock);
        this.execute = ActionTestAccess.executeJob(config, requests, approvals, check, freeze, redis, messenger, audit, clock);
    }

    /** Proposes merging {@code source} into main as {@code requester} and opens it for votes, as verification would. */
    Request openMerge(String requester, String source) throws Exception {
        RepoHost host = RepoHosts.from(config).get("app");
        var now = requests.clock().instant();
        Request r = requests.open(RequestType.MERGE, IncomingMessage.human(Identity.console(requester), ROOM, "merge " + source),
                "merge " + source, null);
        String targetSha = host.head("main").orElseThrow().hex();
        String sourceSha = host.head(source).orElseThrow().hex();
        MergePlan.Ready ready = (MergePlan.Ready) host.planMerge(new Sha(targetSha), new Sha(sourceSha), false, "Merge\n",
                "refs/quorum/merges/" + r.id(), now);
        EvidenceRecord record = EvidenceRecord.sealed("app", ready.result().hex(), "sh run-tests.sh", EvidenceStatus.PASSED, 0, now, 10,
                new TestCounts(1, 1, 0, 0, 0), List.of(), "", List.of(), true);
        evidence.save(record, r.id(), now);
        Subject subject = new Subject("app", "main", targetSha, source, sourceSha, ready.result().hex(), record.digest());
        Request verifying = requests.move(r, RequestState.VERIFYING, "quorum", null).orElseThrow();
        AppliedPolicy policy = PolicyResolver.resolve(config, "merge", ready.diff().paths()).orElseThrow();
        return approvals.open(verifying, subject, policy, List.of(r.requester()), ready.diff().summary()).orElseThrow();
    }

    VoteOutcome vote(String user, String id, boolean approve) throws Exception {
        return approvals.vote(IncomingMessage.human(Identity.console(user), ROOM, (approve ? "approve " : "reject ") + id),
                id, approve, null);
    }

    /** Runs every queued job now, on this thread (only call while not frozen: executions wait out a freeze). */
    int runJobs() throws Exception {
        int ran = 0;
        for (Delivery d : queue.take("rig", 100, Duration.ofMillis(10))) {
            Request r = requests.find(d.job().requestId()).orElseThrow();
            if (d.job().kind().equals("execute")) {
                execute.run(d, r, new Cancellation());
                ran++;
            }
            queue.ack(d);
        }
        return ran;
    }

    long executions() {
        return audit.read(null, 10_000).stream().filter(e -> e.type().equals("execution") && e.data().contains("\"outcome\":\"done\"")).count();
    }

    RequestState state(String id) {
        return requests.find(id).orElseThrow().state();
    }

    @Override
    public void close() {
        redis.close();
    }

    static Map<String, String> env(String redisUri) {
        return Map.of("REDIS_URL", redisUri);
    }
}
