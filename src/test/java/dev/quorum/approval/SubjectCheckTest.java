package dev.quorum.approval;

import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.config.QuorumConfig;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceStatus;
import dev.quorum.evidence.EvidenceStore;
import dev.quorum.evidence.TestCounts;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import dev.quorum.request.Request;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;
import dev.quorum.request.WorkQueue;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.eclipse.jgit.lib.RefUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stale rules one by one, on a real repository and real Redis: which evidence voids a vote,
 * which commits an environment may ship, and what a deploy since the card means.
 */
class SubjectCheckTest {
    @TempDir
    Path dir;
    private TestRepo repo;
    private Redis redis;
    private EvidenceStore evidence;
    private final Map<String, SubjectCheck.Deployment> deployed = new HashMap<>();
    private SubjectCheck check;
    private QuorumConfig config;
    private Request request;
    private String mainSha;
    private String branchSha;
    private Instant clock = Instant.parse("2026-01-01T10:00:00Z");

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        redis = TestRedis.fresh();
        repo = TestRepo.init(dir.resolve("app"));
        mainSha = repo.commit("app", Map.of(Suites.SCRIPT, Suites.passing(1)));
        branchSha = repo.commit("unmerged", Map.of("evil.txt", "x\n"));
        repo.branch("feature/evil", branchSha);
        repo.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(mainSha).call();
        config = QuorumHarness.config(dir.resolve("data"), """
                console: {demo: true, users: {alice: {}}}
                groups: {engineers: [console:alice]}
                repos: {app: {path: %s}}
                environments:
                  staging: {repo: app, command: x, refs: [refs/tags/v*]}
                  production: {repo: app, command: x}
                """.formatted(repo.dir()), Map.of());
        Clock now = Clock.systemUTC();
        AuditLog audit = AuditLog.open(redis, now, config.dataDir());
        evidence = new EvidenceStore(redis, audit.key());
        check = new SubjectCheck(config, RepoHosts.from(config), evidence, env -> Optional.ofNullable(deployed.get(env)));
        request = new Requests(new RequestStore(redis), audit, new WorkQueue(redis), now).open(RequestType.DEPLOY,
                IncomingMessage.human(Identity.console("alice"), new Conversation("console", "general", null), "deploy production"),
                "deploy production", null);
    }

    @AfterEach
    void tearDown() {
        repo.close();
        redis.close();
    }

    private EvidenceRecord run(String commit, EvidenceStatus status) {
        clock = clock.plusSeconds(60);
        boolean passed = status == EvidenceStatus.PASSED;
        EvidenceRecord r = EvidenceRecord.sealed("app", commit, Suites.COMMAND, status, passed ? 0 : 1, clock, 10,
                new TestCounts(1, passed ? 1 : 0, passed ? 0 : 1, 0, 0), List.of(), "", List.of(), true);
        evidence.save(r, null, clock);
        return r;
    }

    private Subject deploy(String env, String ref, String sha, String runs, EvidenceRecord record) {
        return new Subject("app", env, runs, ref, sha, sha, record.digest());
    }

    @ParameterizedTest
    @EnumSource(value = EvidenceStatus.class, names = {"PASSED", "CANCELLED", "ERROR", "TIMED_OUT"})
    void aLaterRunThatDidNotFailVoidsNothing(EvidenceStatus later) throws Exception {
        EvidenceRecord bound = run(mainSha, EvidenceStatus.PASSED);
        run(mainSha, later);
        assertThat(check.whyStale(request, deploy("production", "main", mainSha, null, bound))).isEmpty();
    }

    @Test
    void aLaterFailedRunOfTheSameCommitVoidsTheVote() throws Exception {
        EvidenceRecord bound = run(mainSha, EvidenceStatus.PASSED);
        run(mainSha, EvidenceStatus.PASSED);
        EvidenceRecord failed = run(mainSha, EvidenceStatus.FAILED);
        run(mainSha, EvidenceStatus.PASSED); // a pass after the failure does not hide it
        assertThat(check.whyStale(request, deploy("production", "main", mainSha, null, bound)))
                .contains("a newer test run of " + mainSha.substring(0, 7) + " failed (evidence " + failed.shortDigest() + ")");
    }

    @Test
    void aFailureBeforeTheBoundRunOrOfAnotherCommitVoidsNothing() throws Exception {
        run(mainSha, EvidenceStatus.FAILED);
        EvidenceRecord bound = run(mainSha, EvidenceStatus.PASSED);
        run(branchSha, EvidenceStatus.FAILED);
        assertThat(check.whyStale(request, deploy("production", "main", mainSha, null, bound))).isEmpty();
    }

    @Test
    void evidenceThatIsGoneOrDidNotPassHoldsNoVote() throws Exception {
        EvidenceRecord failed = run(mainSha, EvidenceStatus.FAILED);
        assertThat(check.whyStale(request, deploy("production", "main", mainSha, null, failed)))
                .contains("its evidence " + failed.shortDigest() + " is not a passing run of " + mainSha.substring(0, 7));
        EvidenceRecord ofAnother = run(branchSha, EvidenceStatus.PASSED);
        assertThat(check.whyStale(request, deploy("production", "main", mainSha, null, ofAnother)))
                .contains("its evidence " + ofAnother.shortDigest() + " is not a passing run of " + mainSha.substring(0, 7));
        EvidenceRecord bound = run(mainSha, EvidenceStatus.PASSED);
        redis.sync().del("{q}:evidence:" + bound.digest());
        assertThat(check.whyStale(request, deploy("production", "main", mainSha, null, bound)))
                .contains("its evidence " + bound.shortDigest() + " is gone");
    }

    @Test
    void onlyCommitsOnTheDefaultBranchShipUnlessAnAllowedRefPointsAtThem() throws Exception {
        assertThat(shippable("production", "main", mainSha)).isEmpty();
        assertThat(shippable("production", mainSha, mainSha)).isEmpty();
        assertThat(shippable("production", "feature/evil", branchSha))
                .contains(branchSha.substring(0, 7) + " (`feature/evil`) is not on `main`, and production ships only commits on `main`");
        assertThat(shippable("staging", branchSha.substring(0, 10), branchSha))
                .contains(branchSha.substring(0, 7) + " is not on `main`, and staging ships only commits on `main` or a ref matching refs/tags/v*");

        repo.git().tag().setName("v2").setObjectId(repo.git().getRepository().parseCommit(repo.git().getRepository().resolve(branchSha))).call();
        assertThat(shippable("staging", "v2", branchSha)).isEmpty();
        assertThat(shippable("staging", "refs/tags/v2", branchSha)).isEmpty();
        assertThat(shippable("production", "v2", branchSha)).as("production allows no tags").isPresent();
    }

    @Test
    void aBranchNamedLikeAnAllowedTagIsStillABranch() throws Exception {
        RefUpdate u = repo.git().getRepository().updateRef("refs/heads/refs/tags/v9");
        u.setNewObjectId(repo.git().getRepository().resolve(branchSha));
        assertThat(u.update()).isEqualTo(RefUpdate.Result.NEW);
        repo.branch("v8", branchSha);
        assertThat(repo.host("app").findRef("refs/tags/v9")).contains(new RepoHost.NamedRef("refs/heads/refs/tags/v9", new Sha(branchSha)));
        assertThat(repo.host("app").findRef("v8")).contains(new RepoHost.NamedRef("refs/heads/v8", new Sha(branchSha)));
        assertThat(shippable("staging", "refs/tags/v9", branchSha)).isPresent();
        assertThat(shippable("staging", "v8", branchSha)).isPresent();
    }

    @Test
    void anotherDeploySinceTheCardMakesADeployStale() throws Exception {
        EvidenceRecord bound = run(mainSha, EvidenceStatus.PASSED);
        Subject sawNothing = deploy("production", "main", mainSha, null, bound);
        assertThat(check.whyStale(request, sawNothing)).isEmpty();
        deployed.put("production", new SubjectCheck.Deployment(branchSha, "R9"));
        assertThat(check.whyStale(request, sawNothing))
                .contains("production now runs " + branchSha.substring(0, 7) + " (deployed by R9); the votes saw nothing deployed there yet");
        Subject sawBranch = deploy("production", "main", mainSha, branchSha, bound);
        assertThat(check.whyStale(request, sawBranch)).isEmpty();
        deployed.put("production", new SubjectCheck.Deployment(mainSha, "R10"));
        assertThat(check.whyStale(request, sawBranch))
                .contains("production now runs " + mainSha.substring(0, 7) + " (deployed by R10), not " + branchSha.substring(0, 7) + " which the votes saw");
        assertThat(check.whyStale(request, deploy("staging", "main", mainSha, null, bound)))
                .as("another environment's deploys are not this one's").isEmpty();
        deployed.put("production", new SubjectCheck.Deployment(mainSha, request.id()));
        assertThat(check.whyStale(request, sawBranch)).as("its own deploy, recorded before a crash, is no other deploy").isEmpty();
    }

    private Optional<String> shippable(String environment, String ref, String sha) throws Exception {
        return SubjectCheck.whyNotShippable(config, repo.host("app"), environment, ref, new Sha(sha));
    }
}
