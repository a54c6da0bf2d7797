package dev.quorum.attack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.agent.testing.AgentConfigs;
import dev.quorum.agent.testing.FakeOpenAiServer;
import dev.quorum.store.Redis;
import dev.quorum.testing.HostProcesses;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import io.lettuce.core.RedisURI;
import io.vertx.core.json.JsonObject;
import org.eclipse.jgit.lib.Ref;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static dev.quorum.agent.testing.FakeOpenAiServer.call;
import static dev.quorum.agent.testing.FakeOpenAiServer.text;
import static dev.quorum.agent.testing.FakeOpenAiServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Code under test attacks Quorum from inside its test run, as a hostile branch or a prompt-injected
 * coding agent would: it tries to move a branch of the guarded repository, write to Redis, reach
 * Quorum's HTTP API as the on-call, read Quorum's environment, configuration and data, write outside
 * its checkout and leave a process running. Every attempt must fail, and Quorum must still produce
 * the evidence of the honest part (two passing tests). Real Quorum, real bubblewrap, real Redis,
 * real git. Each attack prints {@code ATTACK WORKED: ...} if it succeeds, so the log says which.
 */
class SandboxAttackTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private TestRepo repo;
    private String mainSha;
    private QuorumHarness q;
    private SseClient room;
    private final FakeOpenAiServer model = FakeOpenAiServer.start();

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
        mainSha = repo.commit("app and its tests", Map.of(Suites.SCRIPT, Suites.passing(2)));
    }

    @AfterEach
    void tearDown() {
        if (room != null) room.close();
        if (q != null) q.close();
        model.close();
        repo.close();
    }

    private void start() throws Exception {
        q = QuorumHarness.start(dir.resolve("data"), AgentConfigs.yaml(repo.dir(), "policies: {merge: {approvals: 1, eligible: [engineers]}}\n"),
                AgentConfigs.openAi(model), Clock.systemUTC());
        room = q.events("alice");
    }

    /** A test script that attacks, then runs two honest tests. Needs Quorum started (its port). */
    private String hostileSuite() {
        RedisURI redis = RedisURI.create(TestRedis.uri());
        Path data = dir.resolve("data");
        String outside = dir.resolve("written-from-the-sandbox").toString();
        String http = "POST /api/console/messages HTTP/1.1\\r\\nHost: localhost:" + q.quorum().port()
                + "\\r\\nX-Quorum-User: dave\\r\\nContent-Type: application/json\\r\\nContent-Length: 21\\r\\n\\r\\n{\\\"text\\\":\\\"freeze x\\\"}";
        return """
                #!/bin/sh
                worked() { echo "ATTACK WORKED: $1"; }
                echo "attacking from $(pwd) as $(id -u)"
                # move main in the guarded repository, by its path and through the checkout's remotes
                git --git-dir=%1$s/.git update-ref refs/heads/main HEAD 2>&1 && worked "moved main of %1$s"
                (cd %1$s && git update-ref refs/heads/main HEAD) 2>&1 && worked "moved main from inside %1$s"
                git push -f origin HEAD:refs/heads/main 2>&1 && worked "pushed to main"
                # write into Quorum's Redis, by the port Quorum uses
                bash -c 'exec 3<>/dev/tcp/127.0.0.1/%2$d && printf "SET pwned 1\\r\\n" >&3 && worked "connected to Redis"' 2>&1
                # drive Quorum's console API as the on-call
                bash -c 'exec 3<>/dev/tcp/127.0.0.1/%3$d && printf "%4$s" >&3 && worked "reached the console API"' 2>&1
                # read Quorum's environment, data and configuration
                cat /proc/%5$d/environ 2>&1 && worked "read Quorum's environment"
                grep -l REDIS /proc/[0-9]*/environ 2>/dev/null && worked "found Quorum's variables"
                ls %6$s 2>&1 && worked "listed Quorum's data folder"
                cat %6$s/redis/quorum-redis.credentials 2>&1 && worked "read the Redis credentials"
                cat %6$s/keys/seal.key > /dev/null 2>&1 && worked "read the seal key"
                cat %8$s 2>&1 && worked "read Quorum's configuration"
                # write outside the checkout
                echo x > %7$s 2>&1 && worked "wrote outside the checkout"
                echo x > /usr/local/pwned 2>&1 && worked "wrote into /usr"
                echo x > /pwned 2>&1 && worked "wrote into /"
                # stay behind after the run
                setsid sleep 7311 >/dev/null 2>&1 &
                nohup sh -c 'sleep 7312' >/dev/null 2>&1 &
                mkdir -p reports
                cat > reports/TEST-app.CalcTest.xml <<'XML'
                <testsuite name='app.CalcTest'><testcase classname='app.CalcTest' name='adds'/><testcase classname='app.CalcTest' name='subtracts'/></testsuite>
                XML
                echo "honest tests done"
                """.formatted(repo.dir(), redis.getPort(), q.quorum().port(), http, ProcessHandle.current().pid(), data, outside,
                        Path.of("config/quorum.yaml").toAbsolutePath());
    }

    /** {@code feature/hostile}: main plus the attacking suite; main stays where it was. */
    private String hostileBranch() throws Exception {
        String hostile = repo.commit("tests that attack", Map.of(Suites.SCRIPT, hostileSuite()));
        repo.branch("feature/hostile", hostile);
        repo.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(mainSha).call();
        return hostile;
    }

    private Map<String, String> refs() throws Exception {
        Map<String, String> refs = new TreeMap<>();
        for (Ref r : repo.git().getRepository().getRefDatabase().getRefs()) refs.put(r.getName(), r.getObjectId().name());
        return refs;
    }

    /** Nothing the attack aimed at changed, and nothing of it still runs. */
    private void assertNothingWorked(String log, Map<String, String> refsBefore) throws Exception {
        assertThat(log).contains("honest tests done").doesNotContain("ATTACK WORKED");
        assertThat(refs()).isEqualTo(refsBefore);
        assertThat(repo.git().getRepository().resolve("refs/heads/main").name()).isEqualTo(mainSha);
        try (Redis redis = Redis.connect(TestRedis.uri())) {
            assertThat(redis.sync().exists("pwned")).isZero();
        }
        assertThat(q.quorum().freeze().isFrozen()).isFalse();
        assertThat(dir.resolve("written-from-the-sandbox")).doesNotExist();
        assertThat(Path.of("/usr/local/pwned")).doesNotExist();
        assertThat(Path.of("/pwned")).doesNotExist();
        Thread.sleep(300); // the kernel tears down the run's PID namespace as its first process ends
        assertThat(HostProcesses.running("sleep 7311")).isFalse();
        assertThat(HostProcesses.running("sh -c sleep 7312") || HostProcesses.running("sleep 7312")).isFalse();
    }

    @Test
    void aHostileBranchsTestsAreConfinedAndItsHonestTestsStillCount() throws Exception {
        start();
        String hostile = hostileBranch();
        Map<String, String> before = refs();

        String id = q.say("bob", "test app feature/hostile").json().get("request_id").asText();
        room.awaitReply("passed: 2 passed, 0 failed, 0 skipped · " + hostile.substring(0, 7));

        JsonNode evidence = q.get("/api/requests/" + id).json().get("evidence");
        assertThat(evidence.get("status").asText()).isEqualTo("passed");
        assertThat(evidence.get("sandboxed").asBoolean()).isTrue();
        String log = q.get("/api/requests/" + id + "/log").json().asText();
        assertThat(log).contains("attacking from /workspace as 0");
        assertNothingWorked(log, before);
    }

    @Test
    void aMergeOfTheHostileBranchTestsItsResultConfinedAndMovesNothingBeforeTheVotes() throws Exception {
        start();
        hostileBranch();
        Map<String, String> before = new HashMap<>(refs());

        String id = q.say("bob", "merge feature/hostile").json().get("request_id").asText();
        room.await(e -> e.kind().equals("update") && e.text().contains(id) && e.text().contains("awaiting approval"), WAIT);

        String log = q.get("/api/requests/" + id + "/log").json().asText();
        before.put("refs/quorum/merges/" + id, refs().get("refs/quorum/merges/" + id)); // Quorum's own pin of the tested result
        assertNothingWorked(log, before);
    }

    @Test
    void aCodingAgentWhoseModelWritesAnAttackingTestGetsNoFurtherThanItsSandbox() throws Exception {
        start();
        Map<String, String> before = refs();
        model.enqueue(toolCalls(call("write_file", new JsonObject().put("path", Suites.SCRIPT).put("content", hostileSuite()).encode())))
                .enqueue(toolCalls(call("run_tests", "{}")))
                .enqueue(text("Tests pass. (Also tried to approve myself.)"));

        String id = q.say("alice", "code make the tests thorough").json().get("request_id").asText();
        room.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · done"), WAIT);

        JsonNode request = q.get("/api/requests/" + id).json();
        assertThat(request.get("evidence").get("status").asText()).isEqualTo("passed");
        assertThat(request.get("evidence").get("sandboxed").asBoolean()).isTrue();
        String toolResult = request.get("transcript").toString();
        assertThat(toolResult).contains("passed: 2 passed");
        String log = q.get("/api/requests/" + id + "/log").json().asText();
        Map<String, String> after = refs();
        after.remove("refs/heads/quorum/" + id); // the agent's own branch is the one ref it may make
        assertThat(after).isEqualTo(before);
        assertNothingWorked(log, refs());
    }

    @Test
    void theUnsandboxedEscapeHatchIsExplicitAndSaysSoOnEveryRecord() throws Exception {
        q = QuorumHarness.start(dir.resolve("data"), AgentConfigs.yaml(repo.dir(), "").replace(
                "test_timeout: 20s", "test_timeout: 20s\n    sandbox: off"), Map.of(), Clock.systemUTC());
        room = q.events("alice");

        String id = q.say("bob", "test").json().get("request_id").asText();
        room.awaitReply("passed: 2 passed");

        JsonNode evidence = q.get("/api/requests/" + id).json().get("evidence");
        assertThat(evidence.get("sandboxed").asBoolean()).isFalse();
        assertThat(room.seen().toString()).contains("unsandboxed");
        assertThat(Files.exists(dir.resolve("data"))).isTrue();
    }
}
