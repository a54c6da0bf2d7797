package dev.quorum.action;

import dev.quorum.request.RequestStore;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import io.lettuce.core.SetArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deploy that loses its environment's lock while its command runs (the lease taken over by another holder, as
 * after a partition) is stopped and reported, on a whole Quorum with real Redis and a real deploy process.
 */
class LostLeaseDeployTest {
    private static final Duration WAIT = Duration.ofSeconds(40); // the default lease renews every 10s
    @TempDir
    Path dir;
    private TestRepo repo;
    private QuorumHarness q;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
        DeployFixture.commit(repo, "#!/bin/sh\necho $$ > " + dir.resolve("deploying.tmp") + "\nmv " + dir.resolve("deploying.tmp")
                + " " + dir.resolve("deploying") + "\nsleep 300\n");
        q = QuorumHarness.start(dir.resolve("data"), DeployFixture.yaml(repo, ""), Map.of(), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        q.close();
        repo.close();
    }

    @Test
    void aDeployWhoseLockIsTakenOverIsStoppedAndReportedAndLeavesTheNewHoldersLock() throws Exception {
        String key = "{q}:lock:deploy:production";
        try (Redis redis = Redis.connect(TestRedis.uri()); SseClient room = q.events("alice")) {
            assertThat(q.say("alice", "deploy production main").json().get("request_id").asText()).isEqualTo("R1");
            room.await(e -> e.kind().equals("reply") && e.text().contains("awaiting approval"), WAIT);
            q.say("bob", "approve R1");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!Files.exists(dir.resolve("deploying")) && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(dir.resolve("deploying")).exists();
            // The lease ran out and another instance took the lock.
            redis.sync().set(key, "another-holder", SetArgs.Builder.px(Duration.ofMinutes(5).toMillis()));

            SseClient.Event failed = room.await(e -> e.kind().equals("reply") && e.text().startsWith("Failed: R1"), WAIT);
            assertThat(failed.text()).isEqualTo("Failed: R1 — stopped, because its lease ran out and the lock is no longer its own; "
                    + "check production before trying again.");
            assertThat(redis.sync().hget(RequestStore.key("R1"), "state")).isEqualTo("failed");
            assertThat(redis.sync().get(key)).as("the new holder's lock is left alone").isEqualTo("another-holder");
        }
        long pid = Long.parseLong(Files.readString(dir.resolve("deploying")).strip());
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("the deploy command was stopped, not left to run").isEmpty();
    }
}
