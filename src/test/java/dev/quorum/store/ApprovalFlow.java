package dev.quorum.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRepo;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quorum on a given Redis (one server, Sentinel, a Cluster) with a repository, two policies and
 * three console users, driven through chat as people would: most of what Quorum keeps in Redis.
 * Shared by the tests of each kind of Redis so that all of them run the same flow.
 */
final class ApprovalFlow implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final TestRepo repo;
    private final String main;
    private final QuorumHarness quorum;
    private final SseClient room;

    private ApprovalFlow(TestRepo repo, String main, QuorumHarness quorum, SseClient room) {
        this.repo = repo;
        this.main = main;
        this.quorum = quorum;
        this.room = room;
    }

    /**
     * @param redisYaml lines of the {@code redis:} section (indented), or empty
     * @param env       environment variables ({@code REDIS_URL}); without one the suite's shared Redis is used
     */
    static ApprovalFlow start(Path tmp, String redisYaml, Map<String, String> env) throws Exception {
        TestRepo repo = TestRepo.init(tmp.resolve("app"));
        try {
            String main = repo.commit("app", Map.of(Suites.SCRIPT, Suites.passing(2), "deploy.sh", "#!/bin/sh\necho deployed\n"));
            String feature = repo.commit("feature", Map.of("feature.txt", "new\n"));
            repo.branch("feature", feature);
            repo.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(main).call();
            String yaml = (redisYaml.isEmpty() ? "" : "redis:\n" + redisYaml) + """
                    console: {demo: true, users: {alice: {}, bob: {}, carol: {}}}
                    groups: {engineers: [console:alice, console:bob, console:carol], oncall: [console:carol]}
                    repos:
                      app: {path: %s, test_command: "%s", reports: ["%s"], test_timeout: 30s}
                    environments:
                      staging: {repo: app, command: sh deploy.sh, timeout: 30s}
                    policies:
                      merge: {approvals: 2, eligible: [engineers]}
                      deploy.staging: {approvals: 1, eligible: [engineers]}
                    """.formatted(repo.dir(), Suites.COMMAND, Suites.REPORTS);
            QuorumHarness q = QuorumHarness.start(tmp.resolve("data"), yaml, env, Clock.systemUTC());
            return new ApprovalFlow(repo, main, q, q.events("alice"));
        } catch (Exception e) {
            repo.close();
            throw e;
        }
    }

    /** A merge through two approvals, then a deploy through one, with a freeze between. */
    static void mergeAndDeploy(Path tmp, String redisYaml, Map<String, String> env) throws Exception {
        try (ApprovalFlow flow = start(tmp, redisYaml, env)) {
            String merge = flow.proposeMerge();
            flow.approve("bob", merge);
            flow.approve("carol", merge);
            flow.awaitMerged(merge);
            flow.freezeDeployAndHistory();
            flow.auditVerifies();
        }
    }

    QuorumHarness quorum() {
        return quorum;
    }

    SseClient room() {
        return room;
    }

    /** Asks to merge {@code feature}; returns the request's id once its tests passed and it awaits votes. */
    String proposeMerge() throws Exception {
        String merge = quorum.say("alice", "merge feature").json().get("request_id").asText();
        room.await(e -> e.kind().equals("reply") && e.text().startsWith(merge + " · ") && e.text().contains("awaiting approval"), WAIT);
        return merge;
    }

    /** Votes, and returns what the console answered (status and body). */
    QuorumHarness.Response approve(String user, String id) throws Exception {
        return quorum.say(user, "approve " + id);
    }

    void awaitMerged(String merge) throws Exception {
        room.await(e -> e.text().startsWith("Done: " + merge), WAIT);
        assertThat(repo.head("main")).isNotEqualTo(main);
    }

    /** Merge commits on {@code main} (a merge lands one): 1 after a merge that ran once, 2 if it ran twice. */
    long mergeCommitsOnMain() throws Exception {
        long merges = 0;
        for (org.eclipse.jgit.revwalk.RevCommit c : repo.git().log().add(repo.git().getRepository().resolve("refs/heads/main")).call()) {
            if (c.getParentCount() > 1) merges++;
        }
        return merges;
    }

    void freezeDeployAndHistory() throws Exception {
        quorum.say("carol", "freeze checking Redis");
        room.awaitReply("FROZEN by carol: checking Redis");
        quorum.say("carol", "unfreeze");
        String deploy = quorum.say("alice", "deploy staging").json().get("request_id").asText();
        room.await(e -> e.kind().equals("reply") && e.text().startsWith(deploy + " · ") && e.text().contains("awaiting approval"), WAIT);
        approve("bob", deploy);
        room.await(e -> e.text().startsWith("Done: " + deploy), WAIT);
        quorum.say("bob", "history");
        room.awaitReply("Latest requests:");
    }

    /** Once Lettuce has reconnected to the new master (after a failover), {@code /health} says so. */
    void awaitHealthy() throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plus(Duration.ofSeconds(30));
        while (quorum.get("/health").status() != 200) {
            if (java.time.Instant.now().isAfter(deadline)) throw new AssertionError("Quorum did not find the new master");
            Thread.sleep(100);
        }
    }

    void auditVerifies() throws Exception {
        JsonNode verify = quorum.get("/api/audit/verify").json();
        assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
    }

    @Override
    public void close() throws Exception {
        try (repo; quorum; room) {
            // closed in reverse order: the room, Quorum, the repository
        }
    }
}
