package dev.quorum.request;

import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Messenger;
import dev.quorum.store.Redis;
import dev.quorum.testing.RecordingAdapter;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Requests#submit}: the request, its inputs, its audit entry and its job in one step, or nothing. */
class SubmitTest {
    private static final Conversation ROOM = new Conversation("console", "general", null);
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path data;
    private Redis redis;
    private AuditLog audit;
    private final RecordingAdapter chat = new RecordingAdapter("console");
    private RequestProgress progress;

    @BeforeEach
    void setUp() throws Exception {
        redis = TestRedis.fresh();
        audit = AuditLog.open(redis, CLOCK, data);
        Messenger messenger = new Messenger();
        messenger.register(chat);
        progress = new RequestProgress(messenger, new RequestStore(redis), new Links("http://localhost"));
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private Requests requests(int cap) {
        return new Requests(new RequestStore(redis), audit, new WorkQueue(redis), CLOCK, cap);
    }

    private static Submission test(String user, String text) {
        return new Submission(RequestType.TEST, IncomingMessage.human(Identity.console(user), ROOM, text), text, null,
                Map.of("repo", "app", "commit", "abc123"), "test", "queued: tests of app");
    }

    /** Everything Quorum keeps in Redis, as text, to compare before and after. */
    private Map<String, String> everything() {
        var r = redis.sync();
        Map<String, String> all = new TreeMap<>();
        for (String key : r.keys("*")) {
            String value = switch (r.type(key)) {
                case "string" -> r.get(key);
                case "hash" -> new TreeMap<>(r.hgetall(key)).toString();
                case "zset" -> r.zrangeWithScores(key, 0, -1).toString();
                case "stream" -> r.xrange(key, Range.create("-", "+")).stream().map(m -> m.getId() + m.getBody()).toList().toString();
                case "list" -> r.lrange(key, 0, -1).toString();
                case "set" -> new java.util.TreeSet<>(r.smembers(key)).toString();
                default -> r.type(key);
            };
            all.put(key, value);
        }
        return all;
    }

    @Test
    void aSubmissionStoresTheRequestItsInputsItsAuditEntryAndItsJobThenPostsItsProgress() {
        Request r = requests(10).submit(test("alice", "test app"), progress);

        assertThat(r.id()).isEqualTo("R1");
        Request stored = new RequestStore(redis).find(r.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(RequestState.QUEUED);
        assertThat(stored.requester()).isEqualTo(Identity.console("alice"));
        assertThat(new RequestStore(redis).inputs(r.id())).containsExactlyInAnyOrderEntriesOf(Map.of("repo", "app", "commit", "abc123"));
        List<StreamMessage<String, String>> jobs = redis.sync().xrange(WorkQueue.STREAM, Range.create("-", "+"));
        assertThat(jobs).extracting(StreamMessage::getBody).containsExactly(Map.of("request", "R1", "kind", "test"));
        assertThat(audit.forRequest("R1")).extracting(e -> e.type() + " " + e.actor())
                .containsExactly("request.created console:alice");
        assertThat(redis.sync().xlen(AuditLog.OUTBOX)).isZero();
        assertThat(chat.said()).extracting(s -> s.how() + " " + s.reply().text()).containsExactly("post R1 · `test app` · queued: tests of app");
        assertThat(stored.progress()).isNotNull();
    }

    @Test
    void aFullQueueRefusesTheSubmissionAndWritesNothing() {
        Requests requests = requests(2);
        requests.submit(test("alice", "one"), progress);
        requests.submit(test("alice", "two"), progress);
        Map<String, String> before = everything();
        int said = chat.said().size();

        assertThatThrownBy(() -> requests.submit(test("bob", "three"), progress)).isInstanceOf(QueueFullException.class)
                .extracting(e -> ((QueueFullException) e).cap()).isEqualTo(2);

        assertThat(everything()).isEqualTo(before);
        assertThat(chat.said()).hasSize(said);
        new WorkQueue(redis).ack(new WorkQueue(redis).take("w", 1, java.time.Duration.ofMillis(10)).getFirst());
        assertThat(requests.submit(test("bob", "three"), progress).id()).as("the number refused is not spent").isEqualTo("R3");
    }

    @Test
    void aKeyThatDoesNotHoldWhatQuorumKeepsThereFailsTheSubmissionBeforeAnythingIsWritten() {
        Requests requests = requests(0);
        redis.sync().set("{q}:req:R1:inputs", "not a hash");
        Map<String, String> before = everything();

        assertThatThrownBy(() -> requests.submit(test("alice", "test"), progress)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the Redis key {q}:req:R1:inputs does not hold what Quorum keeps there (changed by hand?); nothing was written");

        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void aSubmitterThatDiesBeforePostingLeavesAJobWhoseFirstUpdatePostsTheProgress() {
        Messenger none = new Messenger(); // no adapter: the post fails, as it does when Quorum dies just after the step
        RequestProgress unposted = new RequestProgress(none, new RequestStore(redis), new Links("http://localhost"));
        Request r = requests(0).submit(test("alice", "test app"), unposted);
        assertThat(redis.sync().xlen(WorkQueue.STREAM)).isEqualTo(1);
        assertThat(new RequestStore(redis).find(r.id()).orElseThrow().progress()).isNull();

        // the dead submitter's claim to post is older than a claim holds
        redis.sync().hset(RequestStore.key(r.id()), "progress_claimed_at",
                String.valueOf(java.time.Instant.now().minus(RequestProgress.CLAIM_STALE).minusSeconds(1).toEpochMilli()));
        Request now = new RequestStore(redis).find(r.id()).orElseThrow(); // the worker, on any instance
        progress.update(now, "running: 1 test so far");

        assertThat(chat.said()).extracting(s -> s.how() + " " + s.reply().text()).containsExactly("post R1 · `test app` · running: 1 test so far");
        assertThat(new RequestStore(redis).find(r.id()).orElseThrow().progress()).isNotNull();
    }

    @Test
    void aWorkerFasterThanItsSubmitterPostsTheOnlyProgressMessageAndTheSubmittersOlderStatusIsNotShown() {
        Request r = requests(0).open(RequestType.TEST, IncomingMessage.human(Identity.console("alice"), ROOM, "test app"), "test app", null);
        progress.update(r, "running: 1 test so far"); // the job ran before the submitter got to post
        progress.open(r, "queued: tests of app");

        assertThat(chat.said()).extracting(s -> s.how() + " " + s.reply().text()).containsExactly("post R1 · `test app` · running: 1 test so far");
    }

    @Test
    void aWorkerThatFindsTheSubmitterPostingWaitsAndEditsTheOneMessage() throws Exception {
        Request r = requests(0).open(RequestType.TEST, IncomingMessage.human(Identity.console("alice"), ROOM, "test app"), "test app", null);
        RequestStore store = new RequestStore(redis);
        assertThat(store.claimProgress(r.id(), java.time.Instant.now(), RequestProgress.CLAIM_STALE)).as("the submitter's claim").isTrue();
        Thread worker = Thread.ofVirtual().start(() -> progress.finish(r, "succeeded", dev.quorum.conversation.Reply.Tone.SUCCESS));
        Thread.sleep(100); // the submitter's post is slow
        store.setProgress(r.id(), chat.post(ROOM, dev.quorum.conversation.Reply.text("R1 · `test app` · queued")));
        worker.join(java.time.Duration.ofSeconds(10));

        assertThat(chat.said()).extracting(s -> s.how() + " " + s.reply().text())
                .containsExactly("post R1 · `test app` · queued", "update R1 · `test app` · succeeded");
    }

    @Test
    void twoInstancesRacingAtTheCapNeverPassIt() throws Exception {
        int cap = 7;
        try (Redis second = Redis.connect(TestRedis.uri())) {
            RequestStore[] instances = {new RequestStore(redis), new RequestStore(second)};
            for (int round = 0; round < 10; round++) {
                redis.sync().del(WorkQueue.STREAM);
                for (int i = 0; i < 3; i++) new WorkQueue(redis).enqueue(new Job("R0", "test")); // already queued
                AtomicInteger created = new AtomicInteger();
                AtomicInteger refused = new AtomicInteger();
                CountDownLatch go = new CountDownLatch(1);
                try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < 40; i++) {
                        RequestStore store = instances[i % 2];
                        pool.submit(() -> {
                            go.await();
                            try {
                                store.create(RequestType.TEST, Identity.console("alice"), "alice", ROOM, "test", null, Instant.now(),
                                        Map.of("repo", "app"), "test", cap);
                                created.incrementAndGet();
                            } catch (QueueFullException e) {
                                refused.incrementAndGet();
                            }
                            return null;
                        });
                    }
                    go.countDown();
                }
                assertThat(redis.sync().xlen(WorkQueue.STREAM)).as("round " + round).isEqualTo(cap);
                assertThat(created).as("round " + round).hasValue(cap - 3);
                assertThat(refused).hasValue(40 - (cap - 3));
            }
            // every request that was created has its job and its inputs; no refused one left anything
            long requests = redis.sync().zcard("{q}:idx:time");
            assertThat(requests).isEqualTo(10L * (cap - 3));
            for (String id : redis.sync().zrange("{q}:idx:time", 0, -1)) {
                assertThat(redis.sync().hget("{q}:req:" + id + ":inputs", "repo")).isEqualTo("app");
            }
        }
    }
}
