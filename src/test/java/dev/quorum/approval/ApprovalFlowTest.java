package dev.quorum.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.action.WebhookDeployer;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.testing.FakeWebhook;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.RecordingAdapter;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestClock;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Merges and deploys as a team meets them in the console: real git, real test runs, real Redis. */
class ApprovalFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private TestRepo repo;
    private QuorumHarness q;
    private SseClient room;
    private final Map<String, SseClient> views = new java.util.HashMap<>();
    private FakeWebhook webhook;
    private TestClock clock;
    private String mainSha;
    private String featureSha;

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        webhook = new FakeWebhook();
        repo = TestRepo.init(dir.resolve("app"));
        mainSha = repo.commit("app with tests", Map.of(Suites.SCRIPT, Suites.passing(2),
                "deploy.sh", "#!/bin/sh\necho \"deploying $QUORUM_SHA to $QUORUM_ENV\"\necho \"deployed: $QUORUM_REQUEST $QUORUM_ENV $QUORUM_SHA fence $QUORUM_FENCE\"\n",
                "README.md", "app\n"));
        featureSha = repo.commit("greeting", Map.of(Suites.SCRIPT, Suites.passing(3), "greeting.txt", "hello\n"));
        repo.branch("feature", featureSha);
        repo.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(mainSha).call();
        clock = TestClock.startingNow();
        q = QuorumHarness.start(dir.resolve("data"), config(), Map.of(), clock);
        room = q.events("alice");
    }

    private String config() {
        return """
                console: {demo: true, users: {alice: {}, bob: {}, carol: {}, dave: {}, erin: {}, frank: {}}}
                people: {bob: [console:bob, slack:UBOB]}
                groups:
                  engineers: [console:alice, console:bob, console:carol, console:dave]
                  oncall: [console:dave]
                  sre: [console:erin]
                repos:
                  app: {path: %s, test_command: "%s", reports: ["%s"], test_timeout: 20s}
                environments:
                  staging: {repo: app, command: sh deploy.sh, timeout: 20s}
                  production: {repo: app, webhook: {url: "%s", secret: webhook-secret-0123456789, retries: 2, backoff: 50ms}}
                policies:
                  merge:
                    approvals: 2
                    eligible: [engineers]
                    ttl: 1h
                    paths: [{match: "infra/**", require: [{group: sre, count: 1}]}]
                  deploy.staging: {approvals: 1, eligible: [engineers]}
                  deploy.production: {approvals: 2, eligible: [engineers, oncall], require: [{group: oncall, count: 1}], ttl: 2h}
                """.formatted(repo.dir(), Suites.COMMAND, Suites.REPORTS, webhook.url());
    }

    /** What {@code user} sees, private replies included. */
    private SseClient view(String user) {
        return "alice".equals(user) ? room : views.computeIfAbsent(user, q::events);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (SseClient v : views.values()) v.close();
        room.close();
        q.close();
        repo.close();
        webhook.close();
    }

    private String propose(String user, String text) throws Exception {
        var res = q.say(user, text);
        assertThat(res.status()).as(res.json().toString()).isEqualTo(202);
        String id = res.json().get("request_id").asText();
        room.await(e -> e.kind().equals("reply") && e.text().startsWith(id + " · ") && e.text().contains("awaiting approval"), WAIT);
        return id;
    }

    private String head(String branch) throws Exception {
        return repo.head(branch);
    }

    private JsonNode request(String id) throws Exception {
        return q.get("/api/requests/" + id).json();
    }

    @Test
    void aMergeNeedsTwoOtherEngineersAndMovesMainToTheTestedMergeCommit() throws Exception {
        view("dave");
        String id = propose("alice", "merge feature");
        JsonNode card = room.seen().stream().filter(e -> e.text().startsWith(id + " · ") && e.text().contains("awaiting approval"))
                .findFirst().orElseThrow().data();
        assertThat(card.get("buttons").toString()).contains("approve " + id, "reject " + id);
        assertThat(card.get("fields").toString()).contains("passed: 3 passed", "2 approvals from engineers", "alice", "2 files changed, +3 −2");

        JsonNode subject = request(id).get("subject");
        String mergeSha = subject.get("merge_sha").asText();
        assertThat(subject.get("source_sha").asText()).isEqualTo(featureSha);
        assertThat(subject.get("target").asText()).isEqualTo("main");
        assertThat(request(id).get("evidence").get("commit").asText()).isEqualTo(mergeSha);
        assertThat(head("main")).isEqualTo(mainSha);

        q.say("alice", "approve " + id);
        assertThat(room.awaitReply("You are an author of " + id).data().get("to").asText()).isEqualTo("alice");
        q.say("bob", "approve " + id);
        assertThat(room.awaitReply("bob approved " + id).text()).contains("1 approval (bob); still needs 1 more approval");
        assertThat(head("main")).isEqualTo(mainSha);
        q.say("carol", "approve " + id);
        room.awaitReply("quorum reached (bob, carol)");
        room.awaitReply("Done: " + id);
        assertThat(head("main")).isEqualTo(mergeSha);
        try (var r = new org.eclipse.jgit.revwalk.RevWalk(repo.git().getRepository())) {
            var merge = r.parseCommit(repo.git().getRepository().resolve(mergeSha));
            assertThat(merge.getParents()).extracting(p -> p.name()).containsExactly(mainSha, featureSha);
        }
        JsonNode done = request(id);
        assertThat(done.get("state").asText()).isEqualTo("done");
        assertThat(done.get("votes")).extracting(v -> v.get("voter").asText() + ":" + v.get("vote").asText())
                .containsExactly("console:bob:approve", "console:carol:approve");
        assertThat(done.get("history").toString()).contains("vote.refused", "\"to\":\"executing\"", "\"type\":\"execution\"");
        q.say("dave", "approve " + id);
        assertThat(view("dave").awaitReply(id + " is already done").data().get("to").asText()).isEqualTo("dave");
        assertThat(room.seen()).noneMatch(e -> e.text().contains(id + " is already done"));
        assertThat(q.get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
    }

    @Test
    void everyStateChangeOfAMergeIsInTheAuditChainExactlyOnceAndInOrder() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>(); // the state history, as every change announces it
        q.quorum().requests().onChange(r -> seen.add(r.id() + " " + r.state().wire()));
        String id = propose("alice", "merge feature");
        q.say("bob", "approve " + id);
        q.say("carol", "approve " + id);
        room.awaitReply("Done: " + id);
        waitFor(() -> seen.contains(id + " done"));

        List<String> chain = new java.util.ArrayList<>();
        for (var e : q.quorum().audit().forRequest(id)) {
            if (e.type().equals("request.created")) chain.add("created");
            if (!e.type().equals("request.state")) continue;
            JsonNode d = new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.data());
            chain.add(d.get("from").asText() + "->" + d.get("to").asText());
        }
        // the lifecycle of a merge that went through, each step once, in the order it happened
        assertThat(chain).containsExactly("created", "queued->verifying", "verifying->awaiting_approval", "awaiting_approval->executing",
                "executing->done");
        // and what the request was seen in by every live view (a view may read a later state than the change it was told of)
        java.util.Set<String> reached = new java.util.HashSet<>(List.of("queued"));
        chain.stream().filter(c -> c.contains("->")).forEach(c -> reached.add(c.substring(c.indexOf("->") + 2)));
        assertThat(seen.stream().filter(s -> s.startsWith(id + " ")).map(s -> s.substring(id.length() + 1))).isSubsetOf(reached)
                .contains("queued", "verifying", "awaiting_approval", "done");
        assertThat(q.quorum().redis().sync().xlen(dev.quorum.audit.AuditLog.OUTBOX)).isZero();
        assertThat(q.get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
    }

    @Test
    void aMergeWhoseResultFailsItsTestsNeverOpensForVotes() throws Exception {
        repo.git().checkout().setCreateBranch(true).setName("broken").call();
        repo.commit("broken", Map.of(Suites.SCRIPT, Suites.failing("greets")));
        repo.git().checkout().setName("main").call();
        view("bob");
        var res = q.say("alice", "merge broken");
        String id = res.json().get("request_id").asText();
        room.awaitReply("failed: 1 passed, 1 failed");
        assertThat(request(id).get("state").asText()).isEqualTo("failed");
        assertThat(request(id).get("reason").asText()).contains("the tests did not pass");
        q.say("bob", "approve " + id);
        view("bob").awaitReply(id + " is already failed");
    }

    @Test
    void mergingAPullRequestOfARepoWithoutPullRequestsIsRefusedClearly() throws Exception {
        q.say("alice", "merge #12");
        SseClient.Event reply = room.awaitReply("#12 names");
        assertThat(reply.text()).isEqualTo("#12 names a pull request, and repo app has none (it is not on GitHub).");
        assertThat(q.get("/api/requests").json().get("requests")).isEmpty();
    }

    @Test
    void conflictsAreReportedWithTheirPaths() throws Exception {
        repo.git().checkout().setName("feature").call();
        repo.commit("feature edits readme", Map.of("README.md", "feature version\n"));
        repo.git().checkout().setName("main").call();
        repo.commit("main edits readme", Map.of("README.md", "main version\n"));
        String id = q.say("alice", "merge feature").json().get("request_id").asText();
        room.await(e -> e.kind().equals("update") && e.text().contains("conflicts with `main` in README.md"), WAIT);
        assertThat(request(id).get("state").asText()).isEqualTo("failed");
    }

    @Test
    void aPushAfterTheFirstApprovalMakesTheRequestStaleAndNothingMerges() throws Exception {
        view("carol");
        view("dave");
        String id = propose("alice", "merge feature");
        q.say("bob", "approve " + id);
        room.awaitReply("bob approved " + id);
        repo.git().checkout().setName("feature").call();
        repo.commit("sneaky", Map.of("greeting.txt", "changed after approval\n"));
        q.say("carol", "approve " + id);
        assertThat(view("carol").awaitReply(id + " went stale").data().get("to").asText()).isEqualTo("carol");
        room.awaitReply(id + " is stale: `feature` moved from " + featureSha.substring(0, 7));
        q.say("dave", "approve " + id);
        view("dave").awaitReply(id + " is already stale");
        assertThat(head("main")).isEqualTo(mainSha);
        assertThat(request(id).get("votes").get(0).get("void").asBoolean()).isTrue();
    }

    @Test
    void oneRejectFromAnEligibleMemberVetoes() throws Exception {
        view("dave");
        String id = propose("alice", "merge feature");
        q.say("bob", "approve " + id);
        q.say("carol", "reject " + id + " needs a changelog entry");
        room.awaitReply("carol rejected " + id + ": needs a changelog entry");
        assertThat(request(id).get("state").asText()).isEqualTo("rejected");
        q.say("dave", "approve " + id);
        view("dave").awaitReply(id + " is already rejected");
        assertThat(head("main")).isEqualTo(mainSha);
    }

    @Test
    void ineligibleRepeatedAndEarlyVotesAreRefusedAndChangeNothing() throws Exception {
        view("frank");
        view("bob");
        String id = propose("alice", "merge feature");
        q.say("frank", "approve " + id);
        view("frank").awaitReply("Only members of engineers may vote on " + id);
        q.say("bob", "approve " + id);
        room.awaitReply("bob approved " + id);
        q.say("bob", "approve " + id);
        view("bob").awaitReply("You already voted on " + id);
        q.say("bob", "approve R999");
        view("bob").awaitReply("There is no request R999.");
        assertThat(request(id).get("votes")).hasSize(1);
        assertThat(request(id).get("state").asText()).isEqualTo("awaiting_approval");
    }

    @Test
    void votesAfterTheWindowClosedChangeNothing() throws Exception {
        view("carol");
        String id = propose("alice", "merge feature");
        q.say("bob", "approve " + id);
        room.awaitReply("bob approved " + id);
        clock.advance(Duration.ofHours(2));
        q.say("carol", "approve " + id);
        view("carol").awaitReply(id + " expired");
        assertThat(request(id).get("state").asText()).isEqualTo("expired");
        assertThat(head("main")).isEqualTo(mainSha);
    }

    @Test
    void aQuorumReachedDuringAFreezeWaitsAndExecutesOnUnfreeze() throws Exception {
        String id = propose("alice", "merge feature");
        q.say("dave", "freeze release train");
        room.awaitReply("FROZEN by dave");
        q.say("bob", "approve " + id);
        q.say("carol", "approve " + id);
        room.awaitReply("but Quorum is frozen: " + id + " executes on unfreeze");
        assertThat(head("main")).isEqualTo(mainSha);
        assertThat(request(id).get("state").asText()).isEqualTo("awaiting_approval");
        q.say("dave", "unfreeze");
        room.awaitReply(id + " had its quorum during the freeze and executes now.");
        room.awaitReply("Done: " + id);
        assertThat(head("main")).isEqualTo(request(id).get("subject").get("merge_sha").asText());
    }

    @Test
    void aChangeUnderInfraNeedsAnSreOnTopOfTheUsualQuorum() throws Exception {
        repo.git().checkout().setName("feature").call();
        repo.commit("infra", Map.of("infra/terraform.tf", "resource {}\n"));
        repo.git().checkout().setName("main").call();
        String id = propose("alice", "merge feature");
        q.say("bob", "approve " + id);
        q.say("carol", "approve " + id);
        assertThat(room.awaitReply("carol approved " + id).text()).contains("2 approvals (bob, carol); still needs 1 from sre");
        q.say("erin", "approve " + id);
        room.awaitReply("Done: " + id);
        assertThat(request(id).get("tally").get("policy").asText()).contains("raised for changes in infra/**");
    }

    @Test
    void productionNeedsOnCallAndDeploysThroughASignedWebhookThatIsRetried() throws Exception {
        webhook.answer(503);
        String id = propose("alice", "deploy production");
        q.say("bob", "approve " + id);
        q.say("carol", "approve " + id);
        assertThat(room.awaitReply("carol approved " + id).text()).contains("2 approvals (bob, carol); still needs 1 from oncall");
        assertThat(webhook.deliveries()).isEmpty();
        q.say("dave", "approve " + id);
        room.awaitReply("Done: " + id);
        List<FakeWebhook.Delivery> calls = webhook.deliveries();
        assertThat(calls).hasSize(2);
        FakeWebhook.Delivery call = calls.get(1);
        String expected = "sha256=" + WebhookDeployer.sign("webhook-secret-0123456789", call.headers().get("X-Quorum-Timestamp") + "." + call.body());
        assertThat(call.headers().get("X-Quorum-Signature")).isEqualTo(expected);
        assertThat(call.headers().get("X-Quorum-Delivery")).isEqualTo(id);
        assertThat(call.body()).contains("\"environment\":\"production\"", "\"sha\":\"" + mainSha + "\"");
        // the first holder of production's lock: its fencing token, signed in the body, the same on the retry
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.headers().get("X-Quorum-Fence")).isEqualTo("1");
            assertThat(c.body()).contains("\"fence\":1");
        });
    }

    @Test
    void stagingDeploysByItsCommandInACheckoutOfTheApprovedCommitReusingEvidence() throws Exception {
        q.say("bob", "test");
        room.awaitReply("passed: 2 passed");
        String id = propose("alice", "deploy staging");
        assertThat(room.seen().toString()).contains("attached the evidence");
        q.say("bob", "approve " + id);
        room.awaitReply("Done: " + id);
        // the deploy runs in the repo's sandbox: what it did is what it printed, kept with the request
        assertThat(request(id).get("execution").get("output").asText())
                .contains("deploying " + mainSha + " to staging", "deployed: " + id + " staging " + mainSha + " fence 1");
    }

    @Test
    void votesCountOnlyInTheProposingChannelOrInTheConsole() throws Exception {
        RecordingAdapter team = new RecordingAdapter("team");
        q.quorum().messenger().register(team);
        Conversation ops = new Conversation("team", "C-ops", null);
        q.quorum().router().handle(new IncomingMessage(new Identity("console", "alice"), "alice", ops, "merge feature", false, "1", true));
        String id = "R1";
        waitFor(() -> team.said().stream().anyMatch(s -> s.reply().text().contains("awaiting approval")));
        q.quorum().router().handle(new IncomingMessage(new Identity("console", "bob"), "bob", new Conversation("team", "C-random", null),
                "approve " + id, false, "2", true));
        assertThat(team.said().stream().filter(s -> s.how().equals("whisper")).map(s -> s.reply().text()))
                .anyMatch(t -> t.startsWith("Votes on " + id + " count only where the team sees them"));
        q.quorum().router().handle(new IncomingMessage(new Identity("console", "bob"), "bob", ops.inThread("t1"), "approve " + id, false, "3", true));
        q.say("carol", "approve " + id);
        waitFor(() -> "done".equals(request(id).get("state").asText()));
    }

    @Test
    void onePersonWithIdentitiesOnTwoPlatformsCountsOnce() throws Exception {
        RecordingAdapter slack = new RecordingAdapter("slack");
        q.quorum().messenger().register(slack);
        view("bob");
        String id = propose("alice", "merge feature");
        q.say("bob", "approve " + id);
        room.awaitReply("bob approved " + id + ": 1 approval (bob)");
        q.quorum().router().handle(new IncomingMessage(new Identity("slack", "UBOB"), "Bob on Slack",
                new Conversation("console", "general", null, true), "approve " + id, false, "9", true));
        view("bob");
        waitFor(() -> q.get("/api/requests/" + id).json().get("history").toString().contains("\"outcome\":\"repeat\""));
        assertThat(request(id).get("votes")).hasSize(1);
        assertThat(head("main")).isEqualTo(mainSha);
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + WAIT);
            Thread.sleep(50);
        }
    }
}
