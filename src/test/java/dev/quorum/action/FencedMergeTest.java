package dev.quorum.action;

import dev.quorum.approval.ActionRecord;
import dev.quorum.approval.Subject;
import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.repo.RepoHosts;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Request;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.eclipse.jgit.api.ResetCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A merge is fenced by its target's lock, checked right before the branch's compare-and-set, on a real repo and Redis. */
class FencedMergeTest {
    private static final String LOCK = "merge:app:main";
    @TempDir
    Path dir;
    private Redis redis;
    private TestRepo repo;
    private String base;
    private String feature;
    private MergeExecutor merges;
    private Request request;
    private ActionRecord action;

    @BeforeEach
    void setUp() throws Exception {
        redis = TestRedis.fresh();
        repo = TestRepo.init(dir.resolve("app"));
        base = repo.commit("base", Map.of("a.txt", "a\n"));
        feature = repo.commit("feature", Map.of("b.txt", "b\n"));
        repo.branch("feature", feature);
        repo.git().reset().setMode(ResetCommand.ResetType.HARD).setRef(base).call();
        merges = new MergeExecutor(RepoHosts.of(RepoHosts.local("app", repo.dir())), AuditLog.open(redis, Clock.systemUTC(), dir.resolve("data")), redis);
        request = new RequestStore(redis).create(RequestType.MERGE, Identity.console("alice"), "alice",
                new Conversation("console", "general", null), "merge feature", null, Instant.now());
        action = new ActionRecord(new Subject("app", "main", base, "feature", feature, feature, "0123456789abcdef"), null, List.of(),
                "1 file changed", Instant.now().plusSeconds(3600), null, Instant.now(), false);
    }

    @AfterEach
    void tearDown() {
        repo.close();
        redis.close();
    }

    private String main() throws Exception {
        return repo.git().getRepository().resolve("refs/heads/main").name();
    }

    @Test
    void aHolderWhoseLockIsStillItsOwnLands() throws Exception {
        try (TargetLock.Held held = new TargetLock(redis).acquire(LOCK, Duration.ZERO, new Cancellation())) {
            assertThat(merges.execute(request, action, "bob", held)).isInstanceOf(Execution.Done.class);
        }
        assertThat(main()).isEqualTo(feature);
    }

    /** The attack: an execution whose lease ran out while it prepared, and whom another holder followed, pushes anyway. */
    @Test
    void aStaleHolderLandsNothingAndSaysWhy() throws Exception {
        Cancellation cancel = new Cancellation();
        TargetLock locks = new TargetLock(redis, Duration.ofSeconds(30));
        try (TargetLock.Held stale = locks.acquire(LOCK, Duration.ZERO, cancel)) {
            redis.sync().del("{q}:lock:" + LOCK); // its lease ran out (a pause longer than the lease) ...
            try (TargetLock.Held next = locks.acquire(LOCK, Duration.ZERO, new Cancellation())) { // ... and another took over
                assertThat(next.fence()).isGreaterThan(stale.fence());
                assertThat(merges.execute(request, action, "bob", stale)).isEqualTo(new Execution.Failed(
                        "nothing landed: its lease ran out and the lock is no longer its own.", ""));
                assertThat(next.lost()).isEmpty();
            }
        }
        assertThat(main()).as("main did not move").isEqualTo(base);
        assertThat(cancel.reason()).contains("the lock on merge:app:main was lost: its lease ran out and the lock is no longer its own");
    }
}
