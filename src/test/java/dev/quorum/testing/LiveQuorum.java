package dev.quorum.testing;

import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A whole Quorum per test, on a flushed test Redis and a data folder of its own, stopped and
 * deleted after the test: {@code @RegisterExtension final LiveQuorum live = new LiveQuorum();}.
 * Starts with the shipped demo config; {@link #restart} swaps it for another.
 */
public final class LiveQuorum implements BeforeEachCallback, AfterEachCallback {
    private Path data;
    private QuorumHarness harness;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        TestRedis.flush();
        data = Files.createTempDirectory("quorum-test");
        harness = QuorumHarness.start(data);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        stop();
        FileUtils.delete(data.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING | FileUtils.RETRY);
    }

    /** The running Quorum. */
    public QuorumHarness q() {
        if (harness == null) throw new IllegalStateException("Quorum is stopped");
        return harness;
    }

    /** The test's own folder; Quorum's data is in it. */
    public Path data() {
        return data;
    }

    /** Stops Quorum and starts it again on the same data with another config and environment. */
    public QuorumHarness restart(String yaml, Map<String, String> env) throws Exception {
        stop();
        harness = QuorumHarness.start(data, yaml, env, Clock.systemUTC());
        return harness;
    }

    public void stop() {
        if (harness != null) harness.close();
        harness = null;
    }
}
