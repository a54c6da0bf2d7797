package dev.quorum.insights;

import dev.quorum.config.DigestConfig;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Reply;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestClock;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two instances on one Redis, each with its scheduler on a test clock: one digest per due time, whoever looks first. */
class DigestSchedulerTest {
    /** Monday 2026-11-09 09:00 in Berlin (08:00 UTC). */
    private static final Instant DUE = Instant.parse("2026-11-09T08:00:00Z");
    private static final DigestConfig WEEKLY = new DigestConfig("mon 09:00", "slack:C123", "week", "Europe/Berlin");
    private final List<Redis> connections = new ArrayList<>();
    private final List<String> posted = Collections.synchronizedList(new ArrayList<>());
    private TestClock clock;
    private DigestScheduler one;
    private DigestScheduler two;

    @BeforeEach
    void twoInstances() {
        TestRedis.flush();
        clock = new TestClock(DUE.minusSeconds(1));
        one = scheduler("instance-1");
        two = scheduler("instance-2");
    }

    private DigestScheduler scheduler(String instance) {
        Redis redis = Redis.connect(TestRedis.uri());
        connections.add(redis);
        Digest digest = new Digest(new Insights(redis, SeededHistory.directory()), new Links("https://quorum.example"));
        return new DigestScheduler(digest, redis, WEEKLY, clock, instance, (Reply r) -> posted.add(instance + ": " + r.text()));
    }

    @AfterEach
    void close() throws Exception {
        one.close();
        two.close();
        connections.forEach(Redis::close);
    }

    @Test
    void onePostPerDueTimeAcrossInstancesEvenWhenTheyLookAtTheSameMoment() throws Exception {
        assertThat(one.tick() || two.tick()).as("a second before it is due").isFalse();
        clock.advance(Duration.ofSeconds(1));
        CountDownLatch go = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(2)) {
            List<Future<Boolean>> looks = new ArrayList<>();
            for (DigestScheduler s : List.of(one, two)) looks.add(pool.submit(() -> {
                go.await();
                return s.tick();
            }));
            go.countDown();
            assertThat(looks.get(0).get() ^ looks.get(1).get()).as("exactly one of them claimed it").isTrue();
        }
        assertThat(posted).singleElement().asString().endsWith("Digest of the last 7 days (2026-11-02 to 2026-11-08, UTC)");
        clock.advance(Duration.ofMinutes(30)); // later looks within the grace find the claim
        assertThat(one.tick() || two.tick()).isFalse();
        clock.advance(Duration.ofDays(7).minusMinutes(30)); // next Monday
        assertThat(two.tick()).isTrue();
        assertThat(one.tick()).isFalse();
        assertThat(posted).hasSize(2).last().asString().isEqualTo("instance-2: Digest of the last 7 days (2026-11-09 to 2026-11-15, UTC)");
        assertThat(connections.getFirst().sync().ttl(DigestScheduler.CLAIM + "week:2026-11-09")).isBetween(86_400L, 90_000L);
    }

    @Test
    void eightInstancesRacingForOneDueTimePostOnce() throws Exception {
        clock.advance(Duration.ofSeconds(1));
        List<DigestScheduler> many = new ArrayList<>(List.of(one, two));
        for (int i = 3; i <= 8; i++) many.add(scheduler("instance-" + i));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> looks = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(many.size())) {
            for (DigestScheduler s : many) looks.add(pool.submit(() -> {
                go.await();
                return s.tick() | s.tick(); // each looks twice
            }));
            go.countDown();
        }
        int claimed = 0;
        for (Future<Boolean> f : looks) claimed += f.get() ? 1 : 0;
        assertThat(claimed).isEqualTo(1);
        assertThat(posted).hasSize(1);
        for (DigestScheduler s : many.subList(2, many.size())) s.close();
    }

    @Test
    void aPostThatFailsReleasesTheClaimForTheNextLook() {
        clock.advance(Duration.ofSeconds(1));
        Digest digest = new Digest(new Insights(connections.getFirst(), SeededHistory.directory()), new Links("https://quorum.example"));
        DigestScheduler down = new DigestScheduler(digest, connections.getFirst(), WEEKLY, clock, "down", r -> {
            throw new IllegalStateException("slack is down");
        });
        assertThatThrownBy(down::tick).hasMessage("slack is down");
        clock.advance(DigestScheduler.TICK);
        assertThat(two.tick()).isTrue();
        assertThat(posted).containsExactly("instance-2: Digest of the last 7 days (2026-11-02 to 2026-11-08, UTC)");
    }

    @Test
    void aDueTimeLongPastIsLetGoNotPostedLate() {
        clock.advance(DigestScheduler.GRACE.plusMinutes(1));
        assertThat(one.tick()).isFalse();
        assertThat(posted).isEmpty();
    }

    @Test
    void dailyAndWeeklyDueTimesInTheirZone() {
        assertThat(one.lastDue(DUE).toString()).isEqualTo("2026-11-09T09:00+01:00[Europe/Berlin]");
        assertThat(one.lastDue(DUE.minusSeconds(1)).toString()).isEqualTo("2026-11-02T09:00+01:00[Europe/Berlin]");
        DigestScheduler daily = new DigestScheduler(null, null, new DigestConfig("daily 23:30", "slack:C1", "month", null), clock, "x", r -> {});
        assertThat(daily.lastDue(Instant.parse("2026-11-09T23:29:00Z")).toString()).isEqualTo("2026-11-08T23:30Z[UTC]");
    }

    @Test
    void theThreadStopsOnClose() throws Exception {
        one.start();
        assertThat(one.running()).isTrue();
        one.close();
        assertThat(one.running()).isFalse();
    }
}
