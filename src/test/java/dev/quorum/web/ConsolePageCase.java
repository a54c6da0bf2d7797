package dev.quorum.web;

import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a browser test of one console page runs on: a Quorum on a fresh test Redis, Debian's Chromium, and, after the
 * test, a browser console without script errors. A page test opens {@link #browser} itself, at the address it needs.
 */
abstract class ConsolePageCase {
    static final String SHOTS = "target/screenshots";

    @TempDir
    Path data;
    @TempDir
    Path profile;
    QuorumHarness q;
    ConsoleBrowser browser;

    /** The Quorum serving the page: the shipped configuration unless a page needs its own. */
    QuorumHarness startQuorum() throws Exception {
        return QuorumHarness.start(data);
    }

    @BeforeEach
    final void startConsole() throws Exception {
        assertThat(Files.isExecutable(ConsoleBrowser.CHROMIUM)).as("Chromium at %s", ConsoleBrowser.CHROMIUM).isTrue();
        assertThat(Files.isExecutable(ConsoleBrowser.CHROMEDRIVER)).as("chromedriver at %s", ConsoleBrowser.CHROMEDRIVER).isTrue();
        TestRedis.flush();
        q = startQuorum();
    }

    @AfterEach
    final void stopConsole() {
        try {
            if (browser != null) assertThat(browser.scriptErrors()).as("errors in the browser console").isEmpty();
        } finally {
            if (browser != null) browser.close();
            if (q != null) q.close();
        }
    }
}
