package dev.quorum.evidence.bench;

import dev.quorum.evidence.Redactor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Quorum's redactor against the floor: a pass that only splits the same text into lines and copies
 * them, which any redactor that keeps a log's line structure must at least do. The input is a
 * generated build log (Maven-style lines, stack traces, download progress, URLs, JSON, base64
 * blobs, env dumps; one line in 500 carries a secret or a token) in chunks of 1,000 lines, and
 * agent transcript texts of 2,000 characters. Times are the benchmark thread's CPU time, median of
 * the measured runs. Run with {@code bench/run.sh redaction}.
 */
public final class RedactionBenchmark {

    private static final int LOG_LINES = 100_000;
    private static final int CHUNK_LINES = 1_000;
    private static final int TRANSCRIPT_TEXTS = 2_000;
    private static final int WARMUP_ROUNDS = 10;
    private static final int MEASURED_ROUNDS = 15;

    /** As many secrets as a Quorum with Slack, a model, three console users and two webhooks knows. */
    private static final List<String> SECRETS = List.of(
            "xoxb-" + "2233445566-7788990011-QwErTyUiOpAsDfGhJkLzXcVb", "8f14e45fceea167a5a36dedd4bea2543",
            "xapp-" + "1-A0123456789-1234567890123-abcdef0123456789", "sk-" + "proj-Zx81Qm20Lp39Ks47Jd56Hf65Gd74",
            "console-token-alice-51c9f0", "console-token-bob-a77e21", "console-token-dave-0bd3c4",
            "whsec_staging_6a1f9b0c2d", "whsec_production_73e8d1aa40");

    private RedactionBenchmark() {
    }

    public static void main(String[] args) {
        Redactor redactor = Redactor.of(SECRETS);
        List<String> chunks = logChunks(new Random(7));
        List<String> texts = transcriptTexts(new Random(11));
        long chars = chunks.stream().mapToLong(String::length).sum();
        long textChars = texts.stream().mapToLong(String::length).sum();
        String check = redactor.redact(chunks.getFirst());
        for (String secret : SECRETS) {
            if (check.contains(secret)) {
                throw new IllegalStateException("a secret survived: " + secret);
            }
        }
        System.out.printf(Locale.ROOT, "log: %,d lines, %.1f MB in chunks of %,d lines; transcript: %,d texts, %.1f MB; %d secrets%n",
                LOG_LINES, chars / 1e6, CHUNK_LINES, texts.size(), textChars / 1e6, SECRETS.size());

        Result log = compare(() -> redactAll(redactor, chunks), () -> copyLines(chunks));
        Result transcript = compare(() -> redactAll(redactor, texts), () -> copyLines(texts));
        List<String> hostile = hostileLines();
        long hostileChars = hostile.stream().mapToLong(String::length).sum();
        Result attack = compare(() -> redactAll(redactor, hostile), () -> copyLines(hostile));
        System.out.printf(Locale.ROOT, "%-22s %14s %14s %10s %12s%n", "", "quorum CPU ms", "floor CPU ms", "ratio", "quorum MB/s");
        log.print("log lines", chars);
        transcript.print("transcript texts", textChars);
        attack.print("hostile lines", hostileChars);
        System.out.printf(Locale.ROOT, "per log line: %.0f ns (median of %d runs after %d warm-up runs)%n",
                (double) log.quorumNanos / LOG_LINES, MEASURED_ROUNDS, WARMUP_ROUNDS);
        long[] builds = new long[MEASURED_ROUNDS];
        for (int i = 0; i < builds.length; i++) {
            builds[i] = time(() -> Redactor.of(SECRETS));
        }
        System.out.printf(Locale.ROOT, "building a redactor for the %d secrets: %.2f ms (median)%n", SECRETS.size(),
                median(builds) / 1e6);
        System.out.printf(Locale.ROOT, "%s%n", System.getProperty("java.vm.name") + " " + Runtime.version());
    }

    private record Result(long quorumNanos, long floorNanos) {
        void print(String name, long chars) {
            System.out.printf(Locale.ROOT, "%-22s %14.1f %14.1f %9.2fx %12.1f%n", name, quorumNanos / 1e6, floorNanos / 1e6,
                    (double) quorumNanos / floorNanos, chars / (quorumNanos / 1e9) / 1e6);
        }
    }

    private static Result compare(Supplier<Object> quorum, Supplier<Object> floor) {
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            quorum.get();
            floor.get();
        }
        long[] q = new long[MEASURED_ROUNDS];
        long[] f = new long[MEASURED_ROUNDS];
        for (int i = 0; i < MEASURED_ROUNDS; i++) { // alternate so drift hits both alike
            q[i] = time(quorum);
            f[i] = time(floor);
        }
        return new Result(median(q), median(f));
    }

    private static Object redactAll(Redactor redactor, List<String> texts) {
        long length = 0;
        for (String text : texts) {
            length += redactor.redact(text).length();
        }
        return length;
    }

    /** The floor: split into lines and copy them with their line breaks. */
    private static Object copyLines(List<String> texts) {
        long length = 0;
        for (String text : texts) {
            StringBuilder out = new StringBuilder(text.length());
            int start = 0;
            int end;
            while ((end = text.indexOf('\n', start)) >= 0) {
                out.append(text, start, end).append('\n');
                start = end + 1;
            }
            length += out.append(text, start, text.length()).length();
        }
        return length;
    }

    /** CPU time of this thread: on a machine shared with other builds, wall time measures them too. */
    private static long time(Supplier<Object> work) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        work.get();
        return threads.getCurrentThreadCpuTime() - start;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static List<String> logChunks(Random random) {
        List<String> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (int i = 1; i <= LOG_LINES; i++) {
            chunk.append(logLine(random, i)).append('\n');
            if (i % CHUNK_LINES == 0) {
                chunks.add(chunk.toString());
                chunk.setLength(0);
            }
        }
        return chunks;
    }

    private static String logLine(Random random, int n) {
        if (n % 500 == 0) {
            return switch (random.nextInt(4)) {
                case 0 -> "connecting with token " + SECRETS.get(random.nextInt(SECRETS.size()));
                case 1 -> "Authorization: Bearer " + Base64.getEncoder().encodeToString(("k" + n).repeat(4).getBytes());
                case 2 -> "DB_PASSWORD=hunter2-" + n;
                default -> "export GITHUB_TOKEN=ghp_" + "R4nd0mL00kingT0kenValue1234567890ab";
            };
        }
        return switch (random.nextInt(12)) {
            case 0, 1, 2 -> "[INFO] Running com.example.module" + (n % 40) + ".Feature" + n + "Test";
            case 3 -> "[INFO] Tests run: " + random.nextInt(90) + ", Failures: 0, Errors: 0, Skipped: " + random.nextInt(3)
                    + ", Time elapsed: 0." + random.nextInt(999) + " s - in com.example.module.Feature" + n + "Test";
            case 4, 5 -> "\tat com.example.module" + (n % 40) + ".Frame" + random.nextInt(30) + ".call(Frame"
                    + random.nextInt(30) + ".java:" + random.nextInt(400) + ")";
            case 6 -> "Progress (1): " + random.nextInt(100) + "% of 4.2 MB from https://repo.maven.apache.org/maven2/org/"
                    + "example/lib/1." + n % 9 + "/lib-1." + n % 9 + ".jar";
            case 7 -> "{\"level\":\"debug\",\"msg\":\"request done\",\"path\":\"/api/v1/items?page=" + n
                    + "&size=50\",\"status\":200,\"duration_ms\":" + random.nextInt(90) + "}";
            case 8 -> "payload " + Base64.getEncoder().encodeToString(("{\"id\":" + n + ",\"name\":\"item-" + n
                    + "\",\"tags\":[\"a\",\"b\"]}").getBytes());
            case 9 -> "PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp/work-" + n + " LANG=C.UTF-8 CI=true";
            case 10 -> "2026-11-26 12:00:" + String.format(Locale.ROOT, "%02d", n % 60) + ".123 DEBUG o.e.http.Client - GET "
                    + "https://api.example.com/v2/orders/" + n + " -> 200 (" + random.nextInt(300) + " ms)";
            default -> "commit " + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong())
                    + " by ask-the-team: fix the build for module " + (n % 40);
        };
    }

    /**
     * Output made to be slow to redact: lines at the pump's cut (8,192 characters) of one long word, of
     * many words that start like a JWT or a key, of keys followed by long blanks, of hex and base64 that
     * begin like a secret's forms, and with percent escapes everywhere.
     */
    private static List<String> hostileLines() {
        String hexOfASecret = java.util.HexFormat.of().formatHex(SECRETS.getFirst().getBytes());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add("a".repeat(8_000) + "@host");
            lines.add("eyJabcdefghijk ".repeat(540));
            lines.add(("password" + " ".repeat(200) + "x").repeat(39));
            lines.add(hexOfASecret.substring(0, 20).repeat(400));
            lines.add(Base64.getEncoder().encodeToString(SECRETS.get(1).substring(0, 10).getBytes()).repeat(500));
            lines.add("%41%4".repeat(1_600));
            lines.add("sk-sk-sk-ghp_xox".repeat(500));
        }
        return List.of(String.join("\n", lines));
    }

    private static List<String> transcriptTexts(Random random) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < TRANSCRIPT_TEXTS; i++) {
            StringBuilder text = new StringBuilder("{\"path\":\"src/main/java/com/example/Feature" + i + ".java\",\"content\":\"");
            while (text.length() < 2_000) {
                text.append(logLine(random, 1 + random.nextInt(499))).append("\\n");
            }
            texts.add(text.append("\"}").toString());
        }
        return texts;
    }
}
