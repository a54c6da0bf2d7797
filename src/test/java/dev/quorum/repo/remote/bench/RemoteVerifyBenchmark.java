package dev.quorum.repo.remote.bench;

import dev.quorum.repo.MergePlan;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.Sha;
import dev.quorum.repo.remote.RemoteGitHost;
import dev.quorum.testing.GitHttpServer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static dev.quorum.testing.GitHttpServer.git;

/**
 * Verifying a pull request on a remote git repository (10,000 files, 5,000 commits, served by git's smart HTTP with
 * Basic auth on 127.0.0.1): Quorum's remote host ({@code refresh} = fetch into a new mirror, the merge plan, the
 * workspace checkout of the tested merge) against plain {@code git fetch} + {@code git worktree add} of the same
 * commits, in the same run. Then the second verification of the same repository after one more commit on the PR
 * branch (an incremental fetch into the existing mirror) against the first. Run with {@code bench/run.sh remote}.
 *
 * <p>Before each timed step the disk is synced (untimed): neither side writes its files through to the disk within its
 * step, so without it each step would pay for the writeback of the one before it, whichever side that was. And nothing
 * is deleted before the end: right after many files are deleted, ext4 creates files several times slower for minutes
 * (its inode allocator passes over each recently freed inode), which would make every round slower than the one before.
 */
public final class RemoteVerifyBenchmark {
    private static final int FILES = 10_000;
    private static final int COMMITS = 5_000;
    private static final int ROUNDS = Integer.getInteger("rounds", 5);
    /** Rounds run first and not counted: Quorum is a long-running server, and a cold JVM's first fetch is twice a warm one's. */
    private static final int WARM_UP = Integer.getInteger("warmup", 1);
    private static final String USER = "bench";
    private static final String PASSWORD = "bench-password-not-secret";

    private RemoteVerifyBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("quorum-remote-bench");
        try (GitHttpServer server = new GitHttpServer(root.resolve("served")).user(USER, PASSWORD)) {
            long t0 = System.nanoTime();
            Path served = server.createBare("big");
            generate(served);
            System.out.printf(Locale.ROOT, "generated %d files, %d commits on main, a 3-commit PR branch in %.1f s%n",
                    FILES, COMMITS, (System.nanoTime() - t0) / 1e9);
            Files.writeString(root.resolve("credentials"), USER + ":" + PASSWORD);
            String url = server.url("big");
            String authUrl = url.replace("http://", "http://" + USER + ":" + PASSWORD + "@");
            List<double[]> rows = new ArrayList<>();
            for (int round = -WARM_UP; round < ROUNDS; round++) {
                Path dir = root.resolve("round" + (round + WARM_UP));
                Files.createDirectories(dir);
                double floor = floor(authUrl, dir.resolve("floor"), served);
                RepoHost host = RemoteGitHost.open("big", url, "file:" + root.resolve("credentials"), dir.resolve("mirrors/big.git"), Map.of());
                double first = verify(host, dir.resolve("ws1"));
                commitOnPr(served, round + WARM_UP);
                double second = verify(host, dir.resolve("ws2"));
                double floorIncremental = floorIncremental(authUrl, dir.resolve("floor"), served, dir.resolve("floor-ws2"));
                if (round >= 0) rows.add(new double[] {floor, first, floorIncremental, second});
                System.out.printf(Locale.ROOT, "%s: floor %.2f s, quorum %.2f s (%.2fx); incremental: floor %.2f s, quorum %.2f s (%.2fx)%n",
                        round < 0 ? "warm-up, not counted" : "round " + (round + 1), floor, first, first / floor, floorIncremental, second,
                        second / floorIncremental);
            }
            double[] best = rows.stream().min(Comparator.comparingDouble(r -> r[1])).orElseThrow();
            System.out.printf(Locale.ROOT, "%nmedian of %d rounds:%n", ROUNDS);
            double floor = median(rows, 0), first = median(rows, 1), floorInc = median(rows, 2), second = median(rows, 3);
            System.out.printf(Locale.ROOT, "| | first verification s | second (incremental) s |%n|---|---:|---:|%n");
            System.out.printf(Locale.ROOT, "| floor: git fetch + git worktree add | %.2f | %.2f |%n", floor, floorInc);
            System.out.printf(Locale.ROOT, "| Quorum: refresh + merge plan + checkout | %.2f | %.2f |%n", first, second);
            System.out.printf(Locale.ROOT, "| ratio Quorum/floor | %.2fx | %.2fx |%n", first / floor, second / floorInc);
            System.out.printf(Locale.ROOT, "median of the rounds' own ratios: first %.2fx, incremental %.2fx%n",
                    median(rows.stream().map(r -> new double[] {r[1] / r[0]}).toList(), 0),
                    median(rows.stream().map(r -> new double[] {r[3] / r[2]}).toList(), 0));
            System.out.printf(Locale.ROOT, "second/first verification (Quorum): %.2fx; best round %.2f s%n", second / first, best[1]);
        } finally {
            delete(root);
        }
    }

    /** Quorum's verification of the PR: fetch, resolve both sides, plan the merge, check the tested result out. */
    private static double verify(RepoHost host, Path workspace) throws Exception {
        settle();
        long start = System.nanoTime();
        host.refresh();
        long fetched = System.nanoTime();
        Sha target = host.resolve("main");
        Sha source = host.resolve("feature");
        MergePlan plan = host.planMerge(target, source, false, "Merge feature", "refs/quorum/merges/bench", Instant.now());
        if (!(plan instanceof MergePlan.Ready ready)) throw new IllegalStateException("no merge: " + plan);
        long planned = System.nanoTime();
        host.checkout(ready.result(), workspace);
        long done = System.nanoTime();
        double seconds = (done - start) / 1e9;
        System.out.printf(Locale.ROOT, "  quorum: fetch %.2f s, resolve + merge plan %.2f s, checkout %.2f s%n",
                (fetched - start) / 1e9, (planned - fetched) / 1e9, (done - planned) / 1e9);
        if (!Files.exists(workspace.resolve("d00/f0000.txt"))) throw new IllegalStateException("checkout incomplete");
        return seconds;
    }

    /** The floor: a bare repository, git fetch of the same branches, git worktree add of the PR head. */
    private static double floor(String authUrl, Path floor, Path served) throws IOException, InterruptedException {
        String head = git(served, "rev-parse", "refs/heads/feature");
        settle();
        long start = System.nanoTime();
        git(floor.getParent(), "init", "-q", "--bare", floor.toString());
        return seconds(start, fetchAndAdd(authUrl, floor, floor.resolveSibling("floor-ws1"), head));
    }

    private static double floorIncremental(String authUrl, Path floor, Path served, Path worktree) throws IOException, InterruptedException {
        String head = git(served, "rev-parse", "refs/heads/feature");
        settle();
        long start = System.nanoTime();
        return seconds(start, fetchAndAdd(authUrl, floor, worktree, head));
    }

    /** Writes what the step before left in the page cache to the disk, so that no step pays for another's writeback. */
    private static void settle() throws IOException, InterruptedException {
        if (new ProcessBuilder("sync").inheritIO().start().waitFor() != 0) throw new IOException("sync failed");
    }

    private static double seconds(long start, long end) {
        return (end - start) / 1e9;
    }

    /** git fetch, then git worktree add; prints both; returns when it ended (nanoTime). */
    private static long fetchAndAdd(String authUrl, Path floor, Path worktree, String head) throws IOException, InterruptedException {
        long start = System.nanoTime();
        git(floor, "fetch", "-q", authUrl, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*");
        long fetched = System.nanoTime();
        git(floor, "worktree", "add", "-q", "--detach", worktree.toString(), head);
        long done = System.nanoTime();
        System.out.printf(Locale.ROOT, "  floor:  fetch %.2f s, worktree add %.2f s%n", (fetched - start) / 1e9, (done - fetched) / 1e9);
        return done;
    }

    private static void commitOnPr(Path served, int round) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("git", "-C", served.toString(), "fast-import", "--quiet").redirectErrorStream(true).start();
        try (OutputStream raw = p.getOutputStream(); OutputStream out = new BufferedOutputStream(raw)) {
            commit(out, "refs/heads/feature", "refs/heads/feature^0", "pr follow-up " + round,
                    Map.of("pr/followup.txt", "round " + round + "\n"), COMMITS + 100 + round);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("fast-import failed: " + output);
    }

    /** main: one commit with all the files, then small commits; feature: 3 commits off main~20 touching other files. */
    private static void generate(Path bare) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("git", "-C", bare.toString(), "fast-import", "--quiet").redirectErrorStream(true).start();
        try (OutputStream raw = p.getOutputStream(); OutputStream out = new BufferedOutputStream(raw, 1 << 20)) {
            Map<String, String> all = new java.util.LinkedHashMap<>();
            for (int f = 0; f < FILES; f++) all.put(path(f), content(f, 0));
            commit(out, "refs/heads/main", null, "initial", all, 1);
            for (int c = 2; c <= COMMITS; c++) {
                int f = (c * 7919) % FILES;
                commit(out, "refs/heads/main", null, "change " + c, Map.of(path(f), content(f, c), path((f + 1) % FILES), content(f + 1, c)), c);
                if (c == COMMITS - 20) write(out, "reset refs/heads/feature\nfrom refs/heads/main\n\n");
            }
            for (int c = 1; c <= 3; c++) commit(out, "refs/heads/feature", null, "feature " + c, Map.of("pr/feature" + c + ".txt", "feature " + c + "\n"), COMMITS + c);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("fast-import failed: " + output);
        git(bare, "repack", "-a", "-d", "-q");
    }

    private static void commit(OutputStream out, String ref, String from, String message, Map<String, String> files, int time) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("commit ").append(ref).append('\n');
        s.append("committer Bench <bench@example.com> ").append(1_700_000_000L + time).append(" +0000\n");
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        s.append("data ").append(msg.length).append('\n').append(message).append('\n');
        if (from != null) s.append("from ").append(from).append('\n');
        for (Map.Entry<String, String> file : files.entrySet()) {
            byte[] data = file.getValue().getBytes(StandardCharsets.UTF_8);
            s.append("M 100644 inline ").append(file.getKey()).append('\n').append("data ").append(data.length).append('\n').append(file.getValue()).append('\n');
        }
        s.append('\n');
        write(out, s.toString());
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String path(int f) {
        return String.format(Locale.ROOT, "d%02d/f%04d.txt", f % 100, f);
    }

    private static String content(int f, int version) {
        return ("file " + f + " version " + version + "\n").repeat(20);
    }

    private static double median(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }


    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
