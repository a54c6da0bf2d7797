package dev.quorum.testing;

import dev.quorum.config.SandboxConfig;
import dev.quorum.sandbox.Sandbox;
import dev.quorum.sandbox.SandboxHost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** This machine's sandbox, probed once per test JVM, as Quorum would at start. */
public final class TestSandboxes {
    private static SandboxHost host;

    private TestSandboxes() {}

    public static synchronized SandboxHost host() {
        if (host == null) {
            try {
                host = SandboxHost.probe(System.getenv(), List.of(), Files.createTempDirectory("quorum-sandbox-probe"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return host;
    }

    /** The default sandbox (no network, no caches) of a repository. */
    public static Sandbox confined(String repo, Path cacheRoot) {
        return host().forRepo(repo, SandboxConfig.defaults(), cacheRoot);
    }

    /** A sandbox as {@code repos.<repo>.sandbox} would give it, e.g. {@code Map.of("network", "host")}. */
    public static Sandbox configured(String repo, SandboxConfig config, Path cacheRoot) {
        return host().forRepo(repo, config, cacheRoot);
    }

    /** {@code sandbox: off}. */
    public static Sandbox off(String repo) {
        return host().forRepo(repo, new SandboxConfig(true, null, null, null, null, null, null), Path.of("/nonexistent"));
    }

}
