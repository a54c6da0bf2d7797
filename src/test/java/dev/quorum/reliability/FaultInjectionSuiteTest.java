package dev.quorum.reliability;

import dev.quorum.reliability.FaultWorld.Instance;
import dev.quorum.reliability.FaultWorld.Said;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.quorum.agent.testing.FakeOpenAiServer.call;
import static dev.quorum.agent.testing.FakeOpenAiServer.text;
import static dev.quorum.agent.testing.FakeOpenAiServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's acceptance: real Quorum JVMs (two at a time, on one real redis-server) SIGKILLed at every stage of a
 * request, and the redis-server itself killed and restarted while work runs. Each fault is injected once the stage is
 * observed (a script's line in a file, a state in Redis, a model call arriving), never after a sleep. After each:
 * every acknowledged request reached a final state, nothing irreversible happened twice (deploy script runs, pushes,
 * commits on the target), and the audit chain verifies and holds every state change.
 *
 * <p>The scenarios run in order on one shared world, to pay for JVM start-ups once: each killed instance is replaced
 * at once in the background, as a supervisor would, and the next fault waits for two live instances again. A killed
 * merge's or deploy's takeover waits for the dead holder's target lock lease (30 s, {@code TargetLock}); those two
 * settle in the background while the rest go on, and the last test waits for them. The table of outcomes is printed
 * and written to {@code target/fault-injection.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionSuiteTest {
    private static final Duration TAKEOVER = Duration.ofSeconds(45);
    private static final List<Scenario> ROWS = new CopyOnWriteArrayList<>();
    private static final List<CompletableFuture<Void>> SETTLING = new CopyOnWriteArrayList<>();
    @TempDir
    static Path dir;
    private static FaultWorld w;

    @BeforeAll
    static void startTheWorld() throws Exception {
        w = new FaultWorld(dir);
    }

    @AfterAll
    static void printTheTable() throws Exception {
        ScenarioTable.publish("Two Quorum instances on one Redis (FaultInjectionSuiteTest)", ROWS);
        if (w == null) return;
        // JVM start-ups are most of the suite's time: say what they cost on this machine now
        System.out.println("Quorum JVMs started: " + w.startMillis.size() + ", ms from start to ready: " + w.startMillis);
        w.close();
    }

    /** One scenario's measured facts, turned into its row; a failed assertion is a row too, then fails the test. */
    private interface Body {
        Scenario run(long faultAt) throws Exception;
    }

    private static void scenario(String name, String killedAt, Body body) throws Exception {
        long start = System.nanoTime();
        try {
            Scenario row = body.run(start);
            if (row != null) ROWS.add(row); // null: it settles in the background and adds its row then
        } catch (Exception | AssertionError e) {
            ROWS.add(new Scenario(name, killedAt, "FAILED: " + e.getMessage(), "", "", false, since(start)));
            for (String what : List.of("tests", "deploy", "merge")) w.release(what); // the next scenarios start unheld
            throw new AssertionError(name + ": " + e.getMessage() + w.logs(), e);
        }
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    /**
     * The chain holds every change of {@code ids}, once the outbox is sealed: a change's entry is written in its own
     * step but sealed into the chain just after it (or by the next 5 s drain), so a state read in between is ahead of
     * the chain for a moment. A lost entry never arrives, and fails this after the drain period twice over.
     */
    private static boolean auditHolds(List<String> ids) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        Optional<String> problem = w.auditProblem(ids);
        while (problem.isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            problem = w.auditProblem(ids);
        }
        assertThat(problem).as("the audit chain").isEmpty();
        return true;
    }

    @Test
    @Order(1)
    void sigkillOfTheInstanceThatAcknowledgedAQueuedRequest() throws Exception {
        String name = "SIGKILL instance while a request is queued";
        scenario(name, "queued (both instances' 2 workers busy)", t0 -> {
            w.awaitTwoLive();
            Instance a = w.first();
            Instance b = w.second();
            int before = w.lines("test-runs").size();
            w.hold("tests");
            List<String> ids = new ArrayList<>();
            for (int n = 0; n < 4; n++) ids.add(w.open(n % 2 == 0 ? a : b, "alice", "test app"));
            FaultWorld.await("4 test runs to hold every worker", () -> lines() == before + 4);
            String queued = w.open(a, "alice", "test app");
            ids.add(queued);
            assertThat(w.get("/api/requests/" + queued).path("state").asText()).isEqualTo("queued");
            long fault = System.nanoTime();
            w.kill(a);
            w.release("tests");
            String states = w.awaitFinal(ids, TAKEOVER);
            assertThat(states).as("every acknowledged request").doesNotContain("failed", "cancelled", "running");
            int runs = w.lines("test-runs").size() - before;
            // a's two held runs died with it and ran again on another instance; the others ran once
            assertThat(runs).as("test script runs").isEqualTo(7);
            return new Scenario(name, "queued (" + queued + "; both instances' 2 workers busy)", queued + " ran on the survivor",
                    states, runs + " test runs for 5 requests (the killed instance's 2 ran again)", auditHolds(ids), since(fault));
        });
    }

    @Test
    @Order(2)
    void sigkillOfRedisWhileTestsRun() throws Exception {
        String name = "SIGKILL Redis mid-run";
        scenario(name, "test script running", t0 -> {
            String id = heldTestRun();
            int before = lines() - 1;
            w.awaitTwoLive(); // the replacement of the last killed instance has started meanwhile
            long warned = w.warnings();
            long fault = System.nanoTime();
            w.redis.kill();
            Said during = w.say0(w.second(), "alice", "status " + id);
            w.redis.start();
            long outage = since(fault).toMillis();
            w.release("tests");
            String states = w.awaitFinal(List.of(id), TAKEOVER);
            assertThat(w.state(id)).isEqualTo("succeeded");
            // every loop that meets the outage says so, then waits before it tries again: no flood of warnings
            assertThat(w.warnings() - warned).as("warnings logged over a %d ms outage", outage).isLessThan(200);
            int runs = lines() - before;
            assertThat(runs).as("test runs").isBetween(1, 2);
            return new Scenario(name, "test script running", "a command during the outage got " + (during.status() == 0 ? "no answer (" + during.body() + ")" : during.status() + " " + during.body())
                    + "; the run finished after Redis came back", states, runs + " test run" + (runs == 1 ? "" : "s (reclaimed after the outage)"),
                    auditHolds(List.of(id)), since(fault));
        });
    }

    @Test
    @Order(3)
    void redisRestartWhileADeployAwaitsApproval() throws Exception {
        String name = "Redis restart mid-run";
        scenario(name, "awaiting approval", t0 -> {
            String id = w.open(w.first(), "alice", "deploy canary main");
            w.awaitState(id, "awaiting_approval");
            w.awaitTwoLive(); // the replacement of the last killed instance has started meanwhile
            long fault = System.nanoTime();
            w.restartRedis();
            Said[] vote = new Said[1];
            FaultWorld.await("bob's vote to be taken after the restart", () -> {
                vote[0] = w.say0(w.last(), "bob", "approve " + id);
                return vote[0].status() == 202;
            });
            String states = w.awaitFinal(List.of(id), TAKEOVER);
            assertThat(w.state(id)).isEqualTo("done");
            long runs = deployedOnce("canary");
            return new Scenario(name, "awaiting approval (SHUTDOWN, start again on the same AOF)", "the vote after the restart executed it",
                    states, runs + " deploy run", auditHolds(List.of(id)), since(fault));
        });
    }

    @Test
    @Order(4)
    void sigkillWhileAMergeExecutes() throws Exception {
        String name = "SIGKILL instance while a merge executes";
        scenario(name, "push held in the server's pre-receive hook", t0 -> {
            w.awaitTwoLive(); // both are needed to pin the merge to one of them
            int commits = Integer.parseInt(w.webGit("rev-list", "--first-parent", "--count", "main"));
            // Verify and execute on one instance, so that the kill hits the instance whose push is held (a merge verified on
            // one instance and landed by another is InterruptedMergeTest's). Held test runs fill one instance's workers,
            // so the other takes both jobs.
            FaultWorld.Filled filled = w.fillOneInstance(w.first(), 2);
            List<String> filler = filled.requests();
            Instance pinned = filled.free();
            w.hold("merge");
            String id = w.open(pinned, "alice", "merge feature");
            w.awaitState(id, "awaiting_approval");
            String mergeSha = w.get("/api/requests/" + id).path("subject").path("merge_sha").asText();
            assertThat(w.say(pinned, "bob", "approve " + id).status()).isEqualTo(202);
            try {
                FaultWorld.await("Quorum's push to arrive at the server", () -> lines0("pushes") == 1);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + id + " is " + w.state(id) + " (" + w.get("/api/requests/" + id)
                        .path("reason").asText() + "); its jobs were to run on " + pinned + "; jobs held " + w.jobsHeld(), e);
            }
            Instance holder = w.killHolderOf(id);
            long fault = System.nanoTime();
            w.release("merge"); // the server finishes the push its client no longer waits for
            w.release("tests");
            return inBackground(name, () -> {
                List<String> ids = new ArrayList<>(filler);
                ids.add(id);
                String states = w.awaitFinal(ids, TAKEOVER);
                int landed = Integer.parseInt(w.webGit("rev-list", "--first-parent", "--count", "main")) - commits;
                assertThat(landed).as("commits the merge added to main's first-parent line").isEqualTo(1);
                assertThat(w.webGit("rev-parse", "main")).isEqualTo(mergeSha);
                // the takeover finds main at the approved result: the interrupted attempt landed it, and it is done, not stale
                assertThat(w.state(id)).isEqualTo("done");
                String outcome = "the takeover found main at the approved result: done";
                return new Scenario(name, "push in the server's pre-receive hook (" + holder + ")", outcome, states,
                        landed + " merge commit on main, " + lines0("pushes") + " push(es) received", auditHolds(ids), since(fault));
            });
        });
    }

    @Test
    @Order(5)
    void sigkillWhileADeployExecutes() throws Exception {
        String name = "SIGKILL instance while a deploy executes";
        scenario(name, "deploy script running", t0 -> {
            w.hold("deploy");
            String id = w.open(w.first(), "alice", "deploy production main");
            w.awaitState(id, "awaiting_approval");
            assertThat(w.say(w.last(), "bob", "approve " + id).status()).isEqualTo(202);
            FaultWorld.await("the deploy script to run", () -> lines0WithPrefix("production ") == 1);
            Instance holder = w.killHolderOf(id);
            long fault = System.nanoTime();
            w.release("deploy"); // the orphaned script of the killed JVM ends
            return inBackground(name, () -> {
                String states = w.awaitFinal(List.of(id), TAKEOVER);
                assertThat(w.state(id)).isEqualTo("failed");
                String reason = w.get("/api/requests/" + id).path("reason").asText();
                assertThat(reason).startsWith("interrupted: ");
                long runs = deployedOnce("production");
                return new Scenario(name, "deploy script running (" + holder + ")", "failed: interrupted, not run again",
                        states, runs + " deploy run", auditHolds(List.of(id)), since(fault));
            });
        });
    }

    @Test
    @Order(6)
    void sigkillWhileAnAgentRuns() throws Exception {
        String name = "SIGKILL instance while an agent runs";
        scenario(name, "model call outstanding", t0 -> {
            int calls = w.model.requestCount();
            w.model.enqueue(text("never seen: the instance dies waiting for this").delayedBy(60_000))
                    .enqueue(toolCalls(call("write_file", "{\"path\":\"a.txt\",\"content\":\"from the survivor\\n\"}")))
                    .enqueue(text("Wrote a.txt."));
            String id = w.open(w.first(), "alice", "code in app write a.txt");
            FaultWorld.await("the first model call of " + id, () -> w.model.requestCount() == calls + 1);
            Instance holder = w.killHolderOf(id);
            long fault = System.nanoTime();
            String states = w.awaitFinal(List.of(id), TAKEOVER);
            assertThat(w.state(id)).isEqualTo("succeeded");
            var usage = w.get("/api/requests/" + id).path("result").path("usage");
            assertThat(usage.path("attempts").asInt()).isEqualTo(2);
            return new Scenario(name, "model call outstanding (" + holder + ")", "attempt 2 on another instance",
                    states, (w.model.requestCount() - calls) + " model calls (1 lost with the killed instance), "
                    + usage.path("attempts").asInt() + " attempts", auditHolds(List.of(id)), since(fault));
        });
    }

    @Test
    @Order(7)
    void sigkillWhileTestsRun() throws Exception {
        String name = "SIGKILL instance while tests run";
        scenario(name, "test script running", t0 -> {
            String id = heldTestRun();
            int before = lines() - 1;
            Instance holder = w.killHolderOf(id);
            long fault = System.nanoTime();
            w.release("tests");
            String states = w.awaitFinal(List.of(id), TAKEOVER);
            assertThat(w.state(id)).isEqualTo("succeeded");
            assertThat(lines() - before).as("runs: the killed one and the takeover").isEqualTo(2);
            return new Scenario(name, "test script running (" + holder + ")", "re-run by the survivor", states,
                    "2 test runs (attempt 1 killed)", auditHolds(List.of(id)), since(fault));
        });
    }

    @Test
    @Order(8)
    void sigkillWhileVotesArrive() throws Exception {
        String name = "SIGKILL instance while votes arrive";
        scenario(name, "between the 1st and 2nd of 2 approvals", t0 -> {
            w.awaitTwoLive();
            Instance a = w.first();
            Instance b = w.second();
            String id = w.open(a, "alice", "deploy staging main");
            w.awaitState(id, "awaiting_approval");
            assertThat(w.say(a, "bob", "approve " + id).status()).isEqualTo(202);
            FaultWorld.await("bob's vote to be stored", 
                    () -> w.get0("/api/requests/" + id).path("votes").size() == 1);
            w.awaitTwoLive(); // the replacement of the last killed instance has started meanwhile
            long fault = System.nanoTime();
            w.kill(a);
            // carol's and dave's votes arrive at the survivor at the same moment: quorum is reached once
            CompletableFuture<Said> carol = CompletableFuture.supplyAsync(() -> w.say0(b, "carol", "approve " + id));
            CompletableFuture<Said> dave = CompletableFuture.supplyAsync(() -> w.say0(b, "dave", "approve " + id));
            assertThat(carol.get().status()).isEqualTo(202);
            assertThat(dave.get().status()).isEqualTo(202);
            String states = w.awaitFinal(List.of(id), TAKEOVER);
            assertThat(w.state(id)).isEqualTo("done");
            long runs = deployedOnce("staging");
            return new Scenario(name, "between approvals 1 and 2 (killed the instance that took vote 1)",
                    "quorum reached on the survivor, executed once", states, runs + " deploy run", auditHolds(List.of(id)), since(fault));
        });
    }

    @Test
    @Order(9)
    void theKilledMergeAndDeployAreTakenOverAndTheWholeChainVerifies() throws Exception {
        Throwable first = null;
        for (CompletableFuture<Void> f : SETTLING) {
            try {
                f.get();
            } catch (Exception e) {
                if (first == null) first = e.getCause();
            }
        }
        if (first != null) throw new AssertionError(first.getMessage() + w.logs(), first);
        assertThat(w.get("/api/audit/verify").path("ok").asBoolean()).isTrue();
    }

    /** A background scenario's row, or its failure as a row and as the failure the last test reports. */
    private interface Settle {
        Scenario run() throws Exception;
    }

    /** Settles a scenario in the background (its takeover waits out a lease); its row is added then. */
    private static Scenario inBackground(String name, Settle body) {
        SETTLING.add(CompletableFuture.runAsync(() -> settle(name, body)));
        return null;
    }

    private static void settle(String name, Settle body) {
        long start = System.nanoTime();
        try {
            ROWS.add(body.run());
        } catch (Exception | AssertionError e) {
            ROWS.add(new Scenario(name, "", "FAILED: " + e.getMessage(), "", "", false, since(start)));
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    /** Opens {@code test app} with its script held, and waits until the script runs. */
    private static String heldTestRun() throws Exception {
        int before = lines();
        w.hold("tests");
        String id = w.open(w.first(), "alice", "test app");
        FaultWorld.await("the test script of " + id + " to run", () -> lines() == before + 1);
        return id;
    }

    private static int lines() {
        return lines0("test-runs");
    }

    private static int lines0(String file) {
        try {
            return w.lines(file).size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How often the deploy script ran for {@code environment}, which must be once. */
    private static long deployedOnce(String environment) {
        long runs = lines0WithPrefix(environment + " ");
        assertThat(runs).as(environment + " deploys").isEqualTo(1);
        return runs;
    }

    private static long lines0WithPrefix(String prefix) {
        try {
            return w.linesStartingWith("deploys", prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
