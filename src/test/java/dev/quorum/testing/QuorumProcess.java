package dev.quorum.testing;

import dev.quorum.cli.QuorumCli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The CLI as an operator meets it: {@code java -jar quorum.jar ...} in a real JVM process, its exit code and its output. */
public final class QuorumProcess {
    private QuorumProcess() {}

    /**
     * The start of the command line of every Quorum JVM a test starts ({@code java} of this JVM's JDK and its flags).
     * Only the quick JIT compiler (C1): such a JVM lives seconds, and compiling for peak speed as well cost more CPU
     * than it won, about 4 s of CPU against 2 s for a {@code quorum serve} until ready (measured); what the JVM does
     * is the same.
     */
    public static List<String> java() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1");
    }

    /** Exit code and the merged stdout and stderr. */
    public record Run(int exit, String out) {}

    /** Runs {@code quorum args...} in {@code dir} with {@code env} added to this JVM's environment. */
    public static Run run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(List.of("-Dlogback.configurationFile=logback.xml", // logs as an operator's Quorum does, not as the tests do
                "-cp", System.getProperty("java.class.path"), QuorumCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("quorum " + String.join(" ", args) + " did not end within 60 s");
        }
        return new Run(p.exitValue(), out);
    }
}
