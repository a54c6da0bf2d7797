package dev.quorum.agent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole Quorum in a JVM of its own ({@code quorum serve}, this test's classpath), so that a test can kill it the
 * way a machine dies: {@link #kill()} is SIGKILL, with no shutdown hook, no acknowledgement, no last words. Its log
 * goes to a file for when a test fails.
 */
public final class QuorumProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Quorum ready on (http://\\S+)");

    private final Process process;
    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();

    private QuorumProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts {@code quorum serve --config config} with exactly {@code env} for Quorum's variables; waits until ready. */
    public static QuorumProcess start(Path config, Map<String, String> env, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(dev.quorum.testing.QuorumProcess.java());
        // Quorum's own log config, not the tests' (which shows WARN and above only): this waits for its INFO ready line
        cmd.addAll(List.of("-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), "dev.quorum.cli.QuorumCli", "serve", "--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("QUORUM_") || k.startsWith("OPENAI_")
                || k.startsWith("ANTHROPIC_") || k.equals("REDIS_URL"));
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> copyLog(process, log, ready));
        try {
            return new QuorumProcess(process, ready.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("Quorum did not start; its log: " + Files.readString(log), e);
        }
    }

    private static void copyLog(Process process, Path log, CompletableFuture<String> ready) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                Matcher m = READY.matcher(line);
                if (m.find()) ready.complete(m.group(1));
            }
            ready.completeExceptionally(new IllegalStateException("Quorum exited"));
        } catch (IOException e) {
            ready.completeExceptionally(new UncheckedIOException(e));
        }
    }

    /** {@code POST /api/console/messages} as a demo user; returns the body. */
    public String say(String user, String text) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/console/messages"))
                .header("Content-Type", "application/json").header("X-Quorum-User", user)
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text.replace("\"", "\\\"") + "\"}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Where it serves HTTP ({@code http://127.0.0.1:port}). */
    public String url() {
        return url;
    }

    /** The JVM's process, to find what it started. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** Kills the JVM at once (SIGKILL) and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("Quorum did not die");
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}
