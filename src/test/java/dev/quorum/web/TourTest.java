package dev.quorum.web;

import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import dev.quorum.web.ReadmeTour.Kind;
import dev.quorum.web.ReadmeTour.Token;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "A tour of the console", walked in a real browser exactly as it is written, on the
 * shipped config: the demo repository as a fresh installation creates it, the sandbox on, the
 * real Maven runs. The commands typed, the users switched to and the buttons clicked are written
 * here and must be the ones the README's step names, in its order; the replies checked are the
 * README's quotes, read from it. So a change to either that the other does not follow fails here.
 *
 * <p>Needs Chromium and chromedriver (see {@link ConsolePageTest}) and bubblewrap. Set
 * {@code -Dquorum.screenshots=DIR} to keep a PNG of the page after each step.
 */
class TourTest {
    /** A reply may wait for a Maven run in the sandbox (a few seconds each once the cache is filled). */
    private static final Duration REPLY = Duration.ofSeconds(90);
    private static final Path README = Path.of("README.md");

    @TempDir
    Path data;
    @TempDir
    Path profile;
    private QuorumHarness q;
    private ConsoleBrowser browser;
    private ReadmeTour tour;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theReadmesTourWorksAsWritten() throws Exception {
        assertThat(Files.isExecutable(ConsoleBrowser.CHROMIUM)).as("Chromium at %s", ConsoleBrowser.CHROMIUM).isTrue();
        assertThat(Files.isExecutable(ConsoleBrowser.CHROMEDRIVER)).as("chromedriver at %s", ConsoleBrowser.CHROMEDRIVER).isTrue();
        tour = ReadmeTour.read(README);
        assertThat(tour.steps()).extracting(ReadmeTour.Step::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        TestRedis.flush(); // a fresh installation: request ids begin at R1
        q = QuorumHarness.start(data);
        browser = ConsoleBrowser.open(q.url("/#/chat"), profile); // the tour is typed in the room

        step(1).as("alice").type("help").says().type("policy merge").says().end();
        step(2).type("test").says().type("test demo feature/greeting").says().end();
        step(3).type("merge feature/greeting").says()
                .click("Approve", "R3").says()
                .as("bob").click("Approve", "R3").says()
                .as("carol").click("Approve", "R3").says().says().end();
        step(4).as("alice").type("deploy production").says().says()
                .as("bob").click("Approve", "R4").says()
                .as("carol").click("Approve", "R4").says()
                .as("dave").click("Approve", "R4").says().end();
        step(5).as("dave").type("freeze incident 42").says()
                .as("alice").type("freeze").says()
                .type("merge feature/introductions").says()
                .as("bob").click("Approve", "R5").says()
                .as("carol").click("Approve", "R5").says().says().says()
                .as("dave").type("unfreeze").says().says().end();
        step(6).as("alice").type("merge feature/formal-greeting").says().end();
        step(7).type("research how does the greeter greet strangers?").says().says()
                .type("code add a shout method to the greeter").says().end();
        step(8).type("history").says().type("status R3").says().end();
        step(9).type("test demo feature/slow-tests").says()
                .as("bob").type("cancel R8").says()
                .as("alice").type("cancel R8").says().says().end();

        // What the tour did to the demo repository: both merges landed, the conflicting branch did not.
        assertThat(q.get("/api/requests/R3").json().path("state").asText()).isEqualTo("done");
        assertThat(q.get("/api/requests/R5").json().path("state").asText()).isEqualTo("done");
        assertThat(q.get("/api/requests/R6").json().path("state").asText()).isEqualTo("failed");
        assertThat(q.get("/api/requests/R8").json().path("state").asText()).isEqualTo("cancelled");
    }

    @AfterEach
    void stop() {
        try {
            if (browser != null) assertThat(browser.scriptErrors()).as("errors in the browser console").isEmpty();
        } finally {
            if (browser != null) browser.close();
            if (q != null) q.close();
        }
    }

    private Walk step(int number) {
        return new Walk(tour.step(number));
    }

    /**
     * One step, walked token by token: each move takes the README's next token and fails unless it
     * is that move (the same command, user or button); {@link #says()} waits for the next quote.
     */
    private final class Walk {
        private final ReadmeTour.Step step;
        private final List<Token> left;
        /** Quorum's replies just before the last command or click: a quote must be in a reply new or changed since. */
        private Map<String, String> before = Map.of();

        Walk(ReadmeTour.Step step) {
            this.step = step;
            this.left = new ArrayList<>(step.tokens());
        }

        Walk as(String user) {
            take(Kind.NAME, user);
            browser.actAs(user);
            return this;
        }

        Walk type(String command) throws Exception {
            Token t = take(Kind.COMMAND, command);
            before = browser.botMessages();
            browser.type(command);
            if (t.requestId() != null) {
                // The id the README names is the one this command got.
                assertThat(q.get("/api/requests/" + t.requestId()).json().path("text").asText())
                        .as("README step %d: the request `%s` (%s)", step.number(), command, t.requestId()).isEqualTo(command);
            }
            return this;
        }

        Walk click(String label, String requestId) {
            take(Kind.NAME, label);
            before = browser.botMessages();
            browser.click(requestId, label);
            return this;
        }

        Walk says() {
            Token quote = take(Kind.QUOTE, null);
            try {
                browser.awaitReply(quote.text(), before, REPLY);
            } catch (AssertionError e) {
                throw new AssertionError("README step " + step.number() + ": " + e.getMessage(), e);
            }
            return this;
        }

        void end() throws Exception {
            assertThat(left).as("README step %d says more than the test walked: %s", step.number(), step.text()).isEmpty();
            browser.screenshot(System.getProperty("quorum.screenshots"), "tour-step-" + step.number());
        }

        /** The step's next token, which must be of this kind (and, unless null, this text). */
        private Token take(Kind kind, String text) {
            assertThat(left).as("README step %d ends before the test's %s %s: %s", step.number(), kind, text, step.text()).isNotEmpty();
            Token next = left.removeFirst();
            assertThat(next.kind()).as("README step %d: next is %s, the test does %s %s", step.number(), next, kind, text).isEqualTo(kind);
            if (text != null) assertThat(next.text()).as("README step %d", step.number()).isEqualTo(text);
            return next;
        }
    }
}
