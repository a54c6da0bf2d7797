package dev.quorum.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.agent.testing.QuorumProcess;
import dev.quorum.github.FakeGitHub;
import dev.quorum.github.GitHubQuorum;
import dev.quorum.request.RequestStore;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestRedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A merge of pull request #1 of {@code acme/shop} on {@link FakeGitHub} whose Quorum, a JVM of its own, is SIGKILLed
 * part-way through landing it; then another Quorum on the same Redis takes the execution over. Where the kill falls is
 * set by a git {@code reference-transaction} hook in GitHub's bare repository, which holds the update of {@code main}
 * (Quorum's push, or GitHub's own push when its merge API merges) until the test has killed the first Quorum: held at
 * {@code prepared} and then refused, nothing landed; held at {@code committed}, it landed and Quorum never heard back.
 */
public final class InterruptedMerge implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "github_pat_interrupted_merge_7c2d";

    /** Where the first Quorum dies. */
    public enum KillAt {
        /** Its intent recorded, the landing asked for, not landed: the update of {@code main} is refused after the kill. */
        BEFORE_LANDING("prepared", 1),
        /** {@code main} moved (by Quorum's push or by GitHub's merge), before Quorum heard back. */
        AFTER_LANDING("committed", 0);

        final String state;
        final int exit;

        KillAt(String state, int exit) {
            this.state = state;
            this.exit = exit;
        }
    }

    public final Path dir;
    public final FakeGitHub github;
    public final FakeGitHub.Repo shop;
    public final String main;
    public final String head;
    public final int pr;
    private final String yaml;
    private final List<AutoCloseable> running = new ArrayList<>();

    public InterruptedMerge(Path dir, String landing) throws Exception {
        this.dir = dir;
        github = FakeGitHub.withGit(dir.resolve("github"));
        shop = GitHubQuorum.shop(github, TOKEN);
        head = shop.pushTo("feature/x", Map.of(Suites.SCRIPT, Suites.passing(3), "x.txt", "x\n"));
        main = shop.pushTo("main", Map.of("m.txt", "moved on\n")); // the tested result is Quorum's own merge commit
        pr = shop.openPull("feature/x", "main", "erin");
        yaml = GitHubQuorum.yaml(dir, github, TOKEN, landing, null) + "workers: {heartbeat: 250ms, reclaim_after: 2s}\n";
    }

    /**
     * alice proposes {@code merge #1}, bob and carol approve it on a Quorum in a JVM of its own, which is SIGKILLed once
     * the update of {@code main} is held at {@code at}; the hook then lets go (and is removed).
     */
    public void approveAndKill(KillAt at) throws Exception {
        Path config = Files.writeString(dir.resolve("quorum.yaml"), yaml);
        Path data = dir.resolve("data-first");
        QuorumHarness.config(data, yaml, Map.of()); // the seal key all instances on one Redis share
        QuorumProcess first = QuorumProcess.start(config, Map.of("REDIS_URL", TestRedis.uri(), "QUORUM_HTTP_PORT", "0",
                "QUORUM_DATA", data.toString()), dir.resolve("first.log"));
        running.add(first);
        try (Redis redis = Redis.connect(TestRedis.uri())) {
            if (!first.say("alice", "merge #" + pr).contains("\"request_id\":\"R1\"")) throw new AssertionError("R1 was not opened");
            await("R1 to await approval", () -> "awaiting_approval".equals(redis.sync().hget(RequestStore.key("R1"), "state")));
            Path hook = holdMain(at);
            first.say("bob", "approve R1");
            first.say("carol", "approve R1");
            await("the update of main to be held at " + at.state, () -> Files.exists(dir.resolve("held")));
            first.kill();
            Files.delete(hook);
            Files.writeString(dir.resolve("release"), "");
            await("the held update to end", () -> Files.exists(dir.resolve("let-go")));
        }
    }

    /** A hook that holds the update of {@code main} in state {@code at}, until the test lets it go. */
    private Path holdMain(KillAt at) throws Exception {
        Path hook = shop.bare().resolve("hooks/reference-transaction");
        Files.createDirectories(hook.getParent());
        Files.writeString(hook, """
                #!/bin/sh
                [ "$1" = %s ] || exit 0
                grep -q ' refs/heads/main$' || exit 0
                touch %s
                i=0
                while [ ! -f %s ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
                touch %s
                exit %d
                """.formatted(at.state, dir.resolve("held"), dir.resolve("release"), dir.resolve("let-go"), at.exit));
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        return hook;
    }

    /**
     * The first Quorum started again, on the same Redis and data folder (its mirror of GitHub holds the merge it tested):
     * it takes the execution over once the killed one's job is reclaimed.
     */
    public QuorumHarness takeOver() throws Exception {
        return takeOver("data-first");
    }

    /**
     * Another Quorum on the same Redis, with a data folder ({@code data}) and so a mirror of GitHub of its own, which
     * has not got the merge commit the first one tested.
     */
    public QuorumHarness takeOver(String data) throws Exception {
        QuorumHarness second = QuorumHarness.start(dir.resolve(data), yaml, Map.of(), Clock.systemUTC());
        running.add(second::close);
        return second;
    }

    /** The reply R1 ends with, as alice sees it. */
    public static String outcome(QuorumHarness q) throws Exception {
        try (SseClient room = q.events("alice")) {
            return room.await(e -> e.kind().equals("reply") && (e.text().startsWith("Done: R1 ") || e.text().startsWith("Failed: R1 ") || e.text().startsWith("R1 is stale: ")), WAIT).text();
        }
    }

    public static JsonNode request(QuorumHarness q) throws Exception {
        return q.get("/api/requests/R1").json();
    }

    /** The {@code execution} audit entries of R1. */
    public static List<JsonNode> executions(QuorumHarness q) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        q.get("/api/audit").json().get("entries").forEach(e -> {
            if (e.get("type").asText().equals("execution") && e.get("request_id").asText().equals("R1")) found.add(e);
        });
        return found;
    }

    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        Files.writeString(dir.resolve("release"), ""); // a hook still holding lets go
        for (AutoCloseable c : running.reversed()) c.close();
        github.close();
    }
}
