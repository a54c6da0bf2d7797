package dev.quorum.request;

import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestStoreTest {
    private static final Conversation ROOM = new Conversation("console", "general", null);
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private Redis redis;
    private RequestStore store;

    @BeforeEach
    void setUp() {
        redis = TestRedis.fresh();
        store = new RequestStore(redis);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private Request create(RequestType type, String user, int minute) {
        return store.create(type, Identity.console(user), user, ROOM, type.wire() + " by " + user, null, T0.plusSeconds(60L * minute));
    }

    @Test
    void idsCountUpFromR1AndEveryFieldComesBack() {
        Request r1 = create(RequestType.TEST, "alice", 0);
        Request r2 = store.create(RequestType.MERGE, Identity.console("bob"), "Bob", new Conversation("slack", "C1", "123.4"),
                "merge feature/x", "R1", T0);
        assertThat(r1.id()).isEqualTo("R1");
        assertThat(r2.id()).isEqualTo("R2");
        Request back = store.find("r2").orElseThrow();
        assertThat(back).isEqualTo(r2);
        assertThat(back.origin().thread()).isEqualTo("123.4");
        assertThat(back.rerunOf()).isEqualTo("R1");
        assertThat(back.state()).isEqualTo(RequestState.QUEUED);
    }

    @Test
    void aTransitionIsACompareAndSet() {
        Request r = create(RequestType.TEST, "alice", 0);
        assertThat(store.transition(r, RequestState.QUEUED, RequestState.RUNNING, Map.of(), T0.plusSeconds(5))).isTrue();
        assertThat(store.transition(r, RequestState.QUEUED, RequestState.RUNNING, Map.of(), T0.plusSeconds(6))).isFalse();
        Request running = store.find(r.id()).orElseThrow();
        assertThat(running.state()).isEqualTo(RequestState.RUNNING);
        assertThat(running.updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(store.list(new RequestQuery(RequestState.QUEUED, null, null, null, null, 10)).requests()).isEmpty();
        assertThat(store.list(new RequestQuery(RequestState.RUNNING, null, null, null, null, 10)).requests()).extracting(Request::id).containsExactly("R1");
    }

    @Test
    void anIllegalTransitionChangesNothing() {
        Request r = create(RequestType.TEST, "alice", 0);
        assertThatThrownBy(() -> store.transition(r, RequestState.QUEUED, RequestState.DONE, Map.of(), T0))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(store.find(r.id()).orElseThrow().state()).isEqualTo(RequestState.QUEUED);
    }

    @Test
    void concurrentTransitionsLetExactlyOneWin() throws Exception {
        Request r = create(RequestType.MERGE, "alice", 0);
        store.transition(r, RequestState.QUEUED, RequestState.VERIFYING, Map.of(), T0);
        store.transition(r, RequestState.VERIFYING, RequestState.AWAITING_APPROVAL, Map.of(), T0);
        Request open = store.find(r.id()).orElseThrow();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                RequestState to = i % 2 == 0 ? RequestState.EXECUTING : RequestState.EXPIRED;
                results.add(pool.submit(() -> store.transition(open, RequestState.AWAITING_APPROVAL, to, Map.of(), T0)));
            }
            long winners = 0;
            for (Future<Boolean> f : results) if (f.get()) winners++;
            assertThat(winners).isEqualTo(1);
        }
    }

    @Test
    void historyListsNewestFirstWithFiltersAndCursor() {
        for (int i = 0; i < 7; i++) create(i % 2 == 0 ? RequestType.TEST : RequestType.RESEARCH, i < 3 ? "alice" : "bob", i);
        RequestPage first = store.list(RequestQuery.latest(3));
        assertThat(first.requests()).extracting(Request::id).containsExactly("R7", "R6", "R5");
        RequestPage second = store.list(RequestQuery.latest(3).from(first.next(), 3));
        assertThat(second.requests()).extracting(Request::id).containsExactly("R4", "R3", "R2");
        RequestPage last = store.list(RequestQuery.latest(3).from(second.next(), 3));
        assertThat(last.requests()).extracting(Request::id).containsExactly("R1");
        assertThat(last.next()).isNull();

        assertThat(store.list(RequestQuery.latest(10).by(java.util.Set.of(Identity.console("alice")))).requests()).extracting(Request::id)
                .containsExactly("R3", "R2", "R1");
        assertThat(store.list(new RequestQuery(null, RequestType.RESEARCH, Identity.console("bob"), null, null, 10)).requests())
                .extracting(Request::id).containsExactly("R6", "R4");
        assertThat(store.list(new RequestQuery(null, null, null, T0.plusSeconds(60L * 5), null, 10)).requests())
                .extracting(Request::id).containsExactly("R7", "R6");
    }

    @Test
    void progressMessageAndCostAreKept() {
        Request r = create(RequestType.CODE, "alice", 0);
        store.setProgress(r.id(), new PostedMessage(new Conversation("slack", "C1", "1.2"), "1.3"));
        store.addCost(r.id(), 0.25);
        store.addCost(r.id(), 0.5);
        Request back = store.find(r.id()).orElseThrow();
        assertThat(back.progress()).isEqualTo(new PostedMessage(new Conversation("slack", "C1", "1.2"), "1.3"));
        assertThat(back.costUsd()).isEqualTo(0.75);
    }

    @Test
    void requestsAuditEveryChangeWithItsActor(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data) throws Exception {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        AuditLog audit = AuditLog.open(redis, clock, data);
        Requests requests = new Requests(store, audit, new WorkQueue(redis), clock);
        Request r = requests.open(RequestType.TEST, IncomingMessage.human(Identity.console("alice"), ROOM, "test"), "test", null);
        Request running = requests.move(r, RequestState.RUNNING, "quorum", null).orElseThrow();
        assertThat(requests.move(r, RequestState.RUNNING, "quorum", null)).isEmpty(); // stale view: someone moved it first
        requests.move(running, RequestState.SUCCEEDED, "quorum", "3 passed").orElseThrow();
        assertThat(store.find(r.id()).orElseThrow().summary()).isEqualTo("3 passed");
        assertThat(audit.forRequest(r.id())).extracting(e -> e.type() + " " + e.actor() + " " + e.data())
                .containsExactly(
                        "request.created console:alice {\"channel\":\"console:general\",\"rerun_of\":\"\",\"text\":\"test\",\"type\":\"test\"}",
                        "request.state quorum {\"from\":\"queued\",\"reason\":\"\",\"to\":\"running\"}",
                        "request.state quorum {\"from\":\"running\",\"reason\":\"3 passed\",\"to\":\"succeeded\"}");
    }

    @Test
    void aCopyReadAfterSomeoneElseEndedTheRequestMovesNothingAndThrowsNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data) throws Exception {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Requests requests = new Requests(store, AuditLog.open(redis, clock, data), new WorkQueue(redis), clock);
        Request r = requests.open(RequestType.MERGE, IncomingMessage.human(Identity.console("alice"), ROOM, "merge x"), "merge x", null);
        Request verifying = requests.begin(r, RequestState.VERIFYING, new Delivery("0-1", new Job(r.id(), "verify"), false)).orElseThrow();
        // a pull request's watcher fails it while its job runs; the job's copy, read after that, is a failed request
        Request failed = requests.move(verifying, RequestState.FAILED, "quorum", "the pull request was closed").orElseThrow();
        assertThat(requests.move(failed, RequestState.CANCELLED, "quorum", "cancelled")).isEmpty();
        assertThat(store.find(r.id()).orElseThrow().reason()).isEqualTo("the pull request was closed");
        // and a job that finds its request ended when it begins does not work on it
        assertThat(requests.begin(failed, RequestState.VERIFYING, new Delivery("0-2", new Job(r.id(), "verify"), true))).isEmpty();
    }

    @Test
    void unknownIdsAreEmptyNotErrors() {
        assertThat(store.find("R999")).isEmpty();
        assertThat(store.find("nonsense")).isEmpty();
    }

    @Test
    void idsStayUniqueUnderConcurrentCreation() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) pool.submit(() -> ids.add(create(RequestType.TEST, "alice", 0).id()));
        }
        assertThat(ids).hasSize(200);
        assertThat(store.list(RequestQuery.latest(200)).requests()).hasSize(200);
    }
}
