package dev.quorum.attack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.action.TargetLock;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Request;
import dev.quorum.request.RequestType;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.TestClock;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on what a deploy ships and on what voids a vote, against the whole Quorum over HTTP, on
 * real git repositories, real test and deploy scripts and real Redis. Each test fails if its attack
 * works: an unmerged branch deployed, a deploy overwriting a newer one, votes voided by a re-run,
 * an agent's requester approving their own work, a deploy secret reaching a test run.
 */
class DeployAndStalenessAttackTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "s3cr3t-deploy-token-0042";

    @TempDir
    Path dir;
    private TestRepo repo;
    private QuorumHarness q;
    private SseClient room;
    private final Map<String, SseClient> views = new HashMap<>();
    /** Main's history: {@code older} is the parent of {@code newer}, which {@code main} points at. */
    private String older;
    private String newer;
    private String evil;
    private String release;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        repo = TestRepo.init(dir.resolve("app"));
        older = repo.commit("app", Map.of("run-tests.sh", testScript("adds"), "scripts/show.sh", SHOW_ENV,
                "scripts/deploy.sh", deployScript(), "README.md", "app\n"));
        newer = repo.commit("app, newer", Map.of("run-tests.sh", testScript("adds", "subtracts")));
        evil = repo.commit("evil: deploys itself", Map.of(
                "run-tests.sh", "#!/bin/sh\ntouch " + file("evil-tests-ran") + "\n" + testScript("adds").substring("#!/bin/sh\n".length()),
                "scripts/deploy.sh", "#!/bin/sh\ntouch " + file("evil-deploy-ran") + "\n"));
        repo.branch("feature/evil", evil);
        repo.git().reset().setMode(ResetCommand.ResetType.HARD).setRef(newer).call();
        release = repo.commit("release 2 hotfix", Map.of("HOTFIX.md", "hotfix\n"));
        repo.branch("release/2", release);
        repo.git().tag().setName("v2").setObjectId(repo.git().getRepository().parseCommit(ObjectId.fromString(release))).call();
        repo.git().tag().setName("evil-1").setObjectId(repo.git().getRepository().parseCommit(ObjectId.fromString(evil))).call();
        repo.git().reset().setMode(ResetCommand.ResetType.HARD).setRef(newer).call();
        Files.writeString(dir.resolve("staging-token"), SECRET + "\n");
        q = QuorumHarness.start(dir.resolve("data"), """
                console: {demo: true, users: {alice: {}, bob: {}, carol: {}}}
                groups: {engineers: [console:alice, console:bob, console:carol]}
                repos:
                  # The scripts here are steered through files in the test's folder and record what
                  # they did there; a sandbox rightly hides that folder. What these tests attack is
                  # the deploy rule and staleness; confinement has its own attack tests.
                  app: {path: %s, test_command: sh run-tests.sh, reports: ["reports/*.xml"], test_timeout: 60s, sandbox: off}
                environments:
                  staging: {repo: app, command: sh scripts/deploy.sh, timeout: 60s, refs: [refs/tags/v*],
                            env: [HOME], secrets: {DEPLOY_TOKEN: %s}}
                  production: {repo: app, command: sh scripts/deploy.sh, timeout: 60s}
                policies:
                  merge: {approvals: 1, eligible: [engineers]}
                  deploy.staging: {approvals: 1, eligible: [engineers]}
                  deploy.production: {approvals: 2, eligible: [engineers]}
                """.formatted(repo.dir(), dir.resolve("staging-token")), Map.of(), TestClock.startingNow());
        room = q.events("alice");
    }

    @AfterEach
    void tearDown() {
        views.values().forEach(SseClient::close);
        room.close();
        q.close();
        repo.close();
    }

    /** Prints what a run got of the deploy secret and of HOME; shared by the test and the deploy script. */
    private static final String SHOW_ENV = """
            echo "token=${DEPLOY_TOKEN:-unset}"
            if [ -n "${DEPLOY_TOKEN:-}" ]; then echo "token-given=yes"; else echo "token-given=no"; fi
            echo "token-sha256=$(printf %s "${DEPLOY_TOKEN:-}" | sha256sum | cut -d' ' -f1)"
            echo "home=$HOME"
            """;

    /** Passes, unless the file {@code flaky} exists (then one case fails) or {@code slow} does (then it hangs a while). */
    private String testScript(String... cases) {
        StringBuilder ok = new StringBuilder();
        for (String c : cases) ok.append("<testcase classname='app.CalcTest' name='").append(c).append("'/>");
        return "#!/bin/sh\n. ./scripts/show.sh\nmkdir -p reports\n"
                + "if [ -f " + file("slow") + " ]; then touch " + file("slow-started") + "; sleep 60; fi\n"
                + "if [ -f " + file("flaky") + " ]; then\n"
                + "cat > reports/TEST-app.xml <<'XML'\n<testsuite name='app.CalcTest'><testcase classname='app.CalcTest' name='adds'>"
                + "<failure message='flaky'>boom</failure></testcase></testsuite>\nXML\nexit 1\nfi\n"
                + "cat > reports/TEST-app.xml <<'XML'\n<testsuite name='app.CalcTest'>" + ok + "</testsuite>\nXML\n";
    }

    /** Records each deploy in {@code deployments}; waits while the file {@code hold} exists, to keep the lock. */
    private String deployScript() {
        return "#!/bin/sh\necho \"deploying $QUORUM_SHA to $QUORUM_ENV\"\n. ./scripts/show.sh\n"
                + "if [ -f " + file("hold") + " ]; then touch " + file("holding") + "; while [ -f " + file("hold") + " ]; do sleep 0.05; done; fi\n"
                + "echo \"$QUORUM_REQUEST $QUORUM_ENV $QUORUM_SHA\" >> " + file("deployments") + "\n";
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private List<String> deployments() throws Exception {
        Path log = dir.resolve("deployments");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private SseClient view(String user) {
        return "alice".equals(user) ? room : views.computeIfAbsent(user, q::events);
    }

    /** Proposes as alice and waits for the card. */
    private String propose(String text) throws Exception {
        var res = q.say("alice", text);
        assertThat(res.status()).as(res.json().toString()).isEqualTo(202);
        String id = res.json().get("request_id").asText();
        room.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · ") && e.text().contains("awaiting approval"), WAIT);
        return id;
    }

    /** Alice asks; the answer is a one-line refusal and no request. */
    private String refused(String text) throws Exception {
        var res = q.say("alice", text);
        assertThat(res.status()).isEqualTo(202);
        assertThat(res.json().get("request_id").isNull()).as(text + " stored a request").isTrue();
        return room.await(e -> e.kind().equals("reply") && e.text().startsWith("Cannot deploy"), WAIT).text();
    }

    private String test(String ref) throws Exception {
        String id = q.say("alice", ref == null ? "test" : "test app " + ref).json().get("request_id").asText();
        waitFor(() -> List.of("succeeded", "failed", "cancelled").contains(request(id).get("state").asText()));
        return id;
    }

    private JsonNode request(String id) throws Exception {
        return q.get("/api/requests/" + id).json();
    }

    private String state(String id) throws Exception {
        return request(id).get("state").asText();
    }

    private static String sha7(String sha) {
        return sha.substring(0, 7);
    }

    private static void waitFor(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + WAIT);
            Thread.sleep(50);
        }
    }

    /** Holds the environment's execution lock as a second Quorum instance would, so an approved deploy waits for it. */
    private TargetLock.Held holdLockOf(Redis redis, String environment) throws Exception {
        return new TargetLock(redis).acquire("deploy:" + environment, Duration.ofSeconds(5), new Cancellation());
    }

    @Test
    void aDeployOfAnUnmergedBranchIsRefusedWhenProposedAndNoneOfItsCodeRuns() throws Exception {
        String why = "is not on `main`, and staging ships only commits on `main` or a ref matching refs/tags/v*. Merge it first.";
        assertThat(refused("deploy staging feature/evil")).isEqualTo("Cannot deploy: " + sha7(evil) + " (`feature/evil`) " + why);
        assertThat(refused("deploy staging " + evil)).isEqualTo("Cannot deploy: " + sha7(evil) + " " + why);
        assertThat(refused("deploy staging refs/heads/feature/evil")).isEqualTo("Cannot deploy: " + sha7(evil) + " (`refs/heads/feature/evil`) " + why);
        assertThat(refused("deploy staging evil-1")).as("a tag outside the patterns").isEqualTo("Cannot deploy: " + sha7(evil) + " (`evil-1`) " + why);
        assertThat(refused("deploy production feature/evil"))
                .isEqualTo("Cannot deploy: " + sha7(evil) + " (`feature/evil`) is not on `main`, and production ships only commits on `main`. Merge it first.");
        RefUpdate head = repo.git().getRepository().updateRef("HEAD"); // someone checked the branch out in the guarded repo
        assertThat(head.link("refs/heads/feature/evil")).isEqualTo(RefUpdate.Result.FORCED);
        assertThat(refused("deploy staging HEAD")).isEqualTo("Cannot deploy: " + sha7(evil) + " (`HEAD`) " + why);
        assertThat(q.get("/api/requests?type=deploy").json().get("requests")).isEmpty();
        assertThat(q.get("/api/requests?type=test").json().get("requests")).as("nothing was verified either").isEmpty();

        // Anyone may test the branch: its code runs (the marker proves it would), and still nothing deploys it
        String run = test("feature/evil");
        assertThat(state(run)).isEqualTo("succeeded");
        assertThat(dir.resolve("evil-tests-ran")).exists();
        assertThat(refused("deploy staging feature/evil")).isEqualTo("Cannot deploy: " + sha7(evil) + " (`feature/evil`) " + why);
        assertThat(dir.resolve("evil-deploy-ran")).doesNotExist();
        assertThat(deployments()).isEmpty();
    }

    @Test
    void aRefMatchingTheEnvironmentsPatternsMayShipWhatIsNotOnMain() throws Exception {
        assertThat(refused("deploy production v2")).as("production allows no tags")
                .isEqualTo("Cannot deploy: " + sha7(release) + " (`v2`) is not on `main`, and production ships only commits on `main`. Merge it first.");
        assertThat(refused("deploy staging release/2")).as("the branch is not the tag")
                .startsWith("Cannot deploy: " + sha7(release) + " (`release/2`) is not on `main`");
        String id = propose("deploy staging v2");
        q.say("bob", "approve " + id);
        room.awaitReply("Done: " + id);
        assertThat(deployments()).containsExactly(id + " staging " + release);
    }

    @Test
    void aTagAllowedByPatternThatMovesBeforeExecutionMakesTheDeployStale() throws Exception {
        String id = propose("deploy staging v2");
        try (Redis redis = Redis.connect(TestRedis.uri())) {
            try (TargetLock.Held lock = holdLockOf(redis, "staging")) {
                q.say("bob", "approve " + id);
                waitFor(() -> state(id).equals("executing"));
                repo.git().tag().setName("v2").setForceUpdate(true)
                        .setObjectId(repo.git().getRepository().parseCommit(ObjectId.fromString(evil))).call();
            }
        }
        waitFor(() -> state(id).equals("stale"));
        assertThat(request(id).get("reason").asText()).startsWith("`v2` moved from " + sha7(release) + " to " + sha7(evil));
        assertThat(dir.resolve("evil-deploy-ran")).doesNotExist();
        assertThat(deployments()).isEmpty();
    }

    @Test
    void aDefaultBranchForceMovedBackBetweenVoteAndExecutionMakesTheDeployStale() throws Exception {
        String id = propose("deploy staging " + newer); // a SHA: no branch of its own that could move
        try (Redis redis = Redis.connect(TestRedis.uri())) {
            try (TargetLock.Held lock = holdLockOf(redis, "staging")) {
                q.say("bob", "approve " + id);
                room.awaitReply("quorum reached");
                assertThat(state(id)).isEqualTo("executing");
                RefUpdate back = repo.git().getRepository().updateRef("refs/heads/main");
                back.setNewObjectId(ObjectId.fromString(older));
                back.setForceUpdate(true);
                assertThat(back.update()).isEqualTo(RefUpdate.Result.FORCED);
            }
        }
        room.awaitReply(id + " is stale: " + sha7(newer) + " is not on `main`, and staging ships only commits on `main`");
        assertThat(state(id)).isEqualTo("stale");
        assertThat(deployments()).isEmpty();
    }

    @Test
    void outOfOrderDeploysTheOlderGoesStaleAndNeverOverwritesTheNewer() throws Exception {
        String olderDeploy = propose("deploy staging " + older);
        String laterVote = propose("deploy staging " + older);
        String newerDeploy = propose("deploy staging");
        Files.createFile(dir.resolve("hold"));
        q.say("bob", "approve " + newerDeploy);
        waitFor(() -> Files.exists(dir.resolve("holding"))); // the newer deploy runs and holds the staging lock
        q.say("bob", "approve " + olderDeploy);
        room.awaitReply("bob approved " + olderDeploy);
        assertThat(state(olderDeploy)).isEqualTo("executing"); // it passed the vote-time check and waits for the lock
        Files.delete(dir.resolve("hold"));
        room.awaitReply("Done: " + newerDeploy);
        String why = "staging now runs " + sha7(newer) + " (deployed by " + newerDeploy + "); the votes saw nothing deployed there yet";
        room.awaitReply(olderDeploy + " is stale: " + why);
        assertThat(deployments()).containsExactly(newerDeploy + " staging " + newer);

        q.say("bob", "approve " + laterVote);
        assertThat(view("bob").awaitReply(laterVote + " went stale").text())
                .isEqualTo(laterVote + " went stale: " + why + ". Votes are void; propose it again.");
        assertThat(state(laterVote)).isEqualTo("stale");

        String again = propose("deploy staging " + older); // a rollback, proposed knowingly: its card saw the newer deploy
        q.say("bob", "approve " + again);
        room.awaitReply("Done: " + again);
        assertThat(deployments()).containsExactly(newerDeploy + " staging " + newer, again + " staging " + older);
    }

    @Test
    void reRunningAPassingTestOrCancellingOneVoidsNoVote() throws Exception {
        view("bob");
        view("carol");
        String id = propose("deploy production");
        q.say("bob", "approve " + id);
        room.awaitReply("bob approved " + id + ": 1 approval (bob)");

        String rerun = test(null);
        assertThat(state(rerun)).isEqualTo("succeeded");
        Files.createFile(dir.resolve("slow"));
        String cancelled = q.say("carol", "test").json().get("request_id").asText();
        waitFor(() -> Files.exists(dir.resolve("slow-started")));
        q.say("carol", "cancel " + cancelled);
        waitFor(() -> state(cancelled).equals("cancelled"));
        assertThat(request(cancelled).get("evidence").get("status").asText()).isEqualTo("cancelled");
        assertThat(request(rerun).get("evidence").get("commit").asText()).isEqualTo(newer);

        q.say("carol", "approve " + id);
        room.awaitReply("Done: " + id);
        assertThat(deployments()).containsExactly(id + " production " + newer);
        assertThat(request(id).get("votes")).extracting(v -> v.get("voter").asText()).containsExactly("console:bob", "console:carol");
    }

    @Test
    void aFailingReRunOfTheSameCommitVoidsTheVotes() throws Exception {
        view("carol");
        String id = propose("deploy production");
        q.say("bob", "approve " + id);
        room.awaitReply("bob approved " + id);
        Files.createFile(dir.resolve("flaky"));
        String rerun = test(null);
        assertThat(state(rerun)).isEqualTo("failed");
        String failed = request(rerun).get("evidence").get("digest").asText().substring(0, 8);

        q.say("carol", "approve " + id);
        assertThat(view("carol").awaitReply(id + " went stale").text()).isEqualTo(id + " went stale: a newer test run of "
                + sha7(newer) + " failed (evidence " + failed + "). Votes are void; propose it again.");
        assertThat(state(id)).isEqualTo("stale");
        assertThat(deployments()).isEmpty();
    }

    @Test
    void mergingTheAgentBranchByItsNameKeepsTheCodeRequesterAnAuthor() throws Exception {
        Request code = q.quorum().requests().open(RequestType.CODE, IncomingMessage.human(Identity.console("alice"),
                new Conversation("console", "general", null), "code add a greeting"), "code add a greeting", null);
        q.quorum().requests().store().setInputs(code.id(), Map.of("repo", "app"));
        repo.git().checkout().setCreateBranch(true).setName("quorum/" + code.id()).call();
        repo.commit("the agent's greeting", Map.of("greeting.txt", "hello\n"));
        repo.git().checkout().setName("main").call();

        for (String text : List.of("merge quorum/" + code.id(), "merge quorum/" + code.id() + " into main")) {
            var res = q.say("bob", text);
            String id = res.json().get("request_id").asText();
            room.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · ") && e.text().contains("awaiting approval"), WAIT);
            assertThat(request(id).get("tally").get("authors")).extracting(JsonNode::asText).containsExactly("console:bob", "console:alice");
            q.say("alice", "approve " + id);
            assertThat(room.awaitReply("You are an author of " + id).text()).isEqualTo("You are an author of " + id
                    + " (you asked for it, or for the work in it), so you cannot approve it: someone else must.");
            assertThat(request(id).get("votes")).isEmpty();
        }
    }

    @Test
    void aDeploySecretReachesTheDeployCommandButNeverATestRunOfTheSameRepo() throws Exception {
        String home = System.getenv("HOME");
        assertThat(home).as("this check needs HOME in Quorum's environment").isNotBlank();
        String run = test(null);
        String testLog = request(run).get("evidence").get("log_tail").asText();
        // ("token=unset" itself reads as a token=value pair to the redactor, hence token-given)
        assertThat(testLog).contains("token-given=no", "token-sha256=" + sha256(""), "home=").doesNotContain("home=" + home + "\n");

        String id = propose("deploy staging");
        assertThat(room.seen().toString()).contains("attached the evidence");
        q.say("bob", "approve " + id);
        room.awaitReply("Done: " + id);
        String deployed = request(id).get("execution").get("output").asText();
        assertThat(deployed).contains("token=[REDACTED]", "token-given=yes", "token-sha256=" + sha256(SECRET), "home=" + home)
                .doesNotContain(SECRET);
        assertThat(Files.readString(dir.resolve("data/deploy-logs/" + id + ".log"))).contains("token=[REDACTED]").doesNotContain(SECRET);
        assertThat(room.seen().toString()).doesNotContain(SECRET);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
