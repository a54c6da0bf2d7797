package dev.quorum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.SseClient;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real browser (Debian's Chromium through its chromedriver), against the
 * whole Quorum in-process on the test Redis: what a member sees and clicks.
 *
 * <p>Chromium and chromedriver must be installed ({@code apt-get install chromium chromium-driver});
 * {@code -Dquorum.chromium=...} and {@code -Dquorum.chromedriver=...} point elsewhere. Set
 * {@code -Dquorum.screenshots=DIR} to keep a PNG of each page the test reaches.
 */
class ConsolePageTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("quorum.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("quorum.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How often a wait looks again (WebDriverWait's default, 500 ms, makes every wait cost half a second). */
    private static final Duration POLL = Duration.ofMillis(100);

    @TempDir
    Path data;
    @TempDir
    Path profiles;
    private QuorumHarness q;
    /** The shell-script repository some tests run Quorum on instead of the demo; closes its Quorum too. */
    private ShellRepo app;
    private final List<WebDriver> browsers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("the browser test needs Chromium at %s (apt-get install chromium, or -Dquorum.chromium=PATH)", CHROMIUM).isTrue();
        assertThat(Files.isExecutable(CHROMEDRIVER))
                .as("the browser test needs chromedriver at %s (apt-get install chromium-driver, or -Dquorum.chromedriver=PATH)", CHROMEDRIVER).isTrue();
        TestRedis.flush();
        q = QuorumHarness.start(data);
    }

    @AfterEach
    void stop() {
        try {
            // No script errors in any page (failed HTTP requests, such as the refused commands, are expected).
            for (WebDriver b : browsers) {
                List<String> errors = b.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                        .map(LogEntry::getMessage)
                        .filter(m -> !m.contains("Failed to load resource"))
                        .toList();
                assertThat(errors).as("errors in the browser console").isEmpty();
            }
        } finally {
            browsers.forEach(WebDriver::quit);
            if (app != null) app.close();
            else if (q != null) q.close();
        }
    }

    @Test
    void membersTalkToQuorumAndRefusalsStayWithTheSender() throws Exception {
        // One more demo user than the shipped config: the switcher must take the list from whoami.
        q.close();
        q = QuorumHarness.start(data, QuorumHarness.bundledConfigText().replace("    dave: {}", "    dave: {}\n    erin: {}"), Map.of(), Clock.systemUTC());
        List<String> users = new ArrayList<>();
        q.get("/api/console/whoami").json().path("users").forEach(u -> users.add(u.asText()));
        assertThat(users).containsExactly("alice", "bob", "carol", "dave", "erin");

        WebDriver bob = open("/#/chat");
        awaitLive(bob, null);
        assertThat(new Select(bob.findElement(By.cssSelector("[data-testid=user-select]"))).getOptions())
                .extracting(o -> o.getDomProperty("value")).containsExactlyElementsOf(users);
        actAs(bob, "bob");

        send(bob, "help");
        WebElement help = awaitBot(bob, "Commands:");
        // Who is asking travels in the session cookie only: no URL the page requested names a user
        // (the stream of the first user, closed by the switch, is among them).
        assertThat(requestedUrls(bob)).anyMatch(u -> u.contains("/api/console/events")).noneMatch(u -> u.contains("user=") || u.contains("token="));
        assertThat(help.getAttribute("data-tone")).isEqualTo("info");
        assertThat(help.findElement(By.cssSelector("[data-testid=card-fields]")).getText()).contains("deploy.production");
        assertThat(help.findElements(By.cssSelector("[data-testid=card-text] code"))).isNotEmpty(); // `code` spans
        WebElement mine = member(bob, "help").orElseThrow();
        assertThat(mine.getAttribute("data-mine")).isEqualTo("true");

        // A second member in their own browser sees the room, bob's message on the other side.
        WebDriver carol = open("/#/chat");
        actAs(carol, "carol");
        awaitBot(carol, "Commands:");
        assertThat(member(carol, "help").orElseThrow().getAttribute("data-mine")).isEqualTo("false");

        // A refused command is an inline error for the sender only; the room gets nothing.
        send(bob, "frobnicate");
        WebElement error = await(bob, d -> d.findElements(By.cssSelector("[data-testid=local-error]")).stream()
                .filter(e -> e.getText().contains("frobnicate")).findFirst().orElse(null));
        assertThat(error.findElement(By.cssSelector("[data-testid=local-error-text]")).getText())
                .isEqualTo("I don't know the command frobnicate. Try help.");
        send(bob, "status");
        awaitBot(carol, "Not frozen.");
        assertThat(log(carol)).doesNotContain("frobnicate");
        assertThat(member(bob, "frobnicate")).isEmpty();

        // Up recalls the previous command; a quick-help chip fills the box.
        WebElement input = bob.findElement(By.cssSelector("[data-testid=message-input]"));
        input.sendKeys(Keys.ARROW_UP);
        assertThat(input.getDomProperty("value")).isEqualTo("status");
        input.sendKeys(Keys.ARROW_UP);
        assertThat(input.getDomProperty("value")).isEqualTo("frobnicate");
        input.sendKeys(Keys.ESCAPE);
        bob.findElement(By.cssSelector(".chip[data-command='deploy staging']")).click();
        assertThat(input.getDomProperty("value")).isEqualTo("deploy staging");
        input.sendKeys(Keys.ESCAPE);

        // Not on-call: the refusal is private to alice and marked so.
        actAs(bob, "alice");
        send(bob, "freeze");
        WebElement refusal = awaitBot(bob, "Only on-call");
        assertThat(refusal.getAttribute("data-private")).isEqualTo("true");
        assertThat(refusal.getAttribute("data-tone")).isEqualTo("error");
        assertThat(refusal.findElement(By.cssSelector("[data-testid=only-you]")).isDisplayed()).isTrue();
        shot(bob, "chat-alice");

        // On-call freezes: a warning for the whole room. The reason is shown as text, never markup.
        actAs(bob, "dave");
        awaitBot(bob, "Not frozen."); // dave's view is rebuilt from the room's backlog
        assertThat(log(bob)).doesNotContain("Only on-call");
        send(bob, "freeze drill <img src=x onerror=window.__xss=1>");
        WebElement frozen = awaitBot(bob, "FROZEN by dave");
        assertThat(frozen.getAttribute("data-tone")).isEqualTo("warning");
        assertThat(frozen.getText()).contains("drill <img src=x onerror=window.__xss=1>");
        assertThat(bob.findElements(By.cssSelector("[data-testid=chat-log] img"))).isEmpty();
        assertThat(((JavascriptExecutor) bob).executeScript("return window.__xss === undefined")).isEqualTo(true);

        WebElement carolSees = awaitBot(carol, "FROZEN by dave");
        assertThat(carolSees.getAttribute("data-private")).isEqualTo("false");
        assertThat(log(carol)).doesNotContain("Only on-call");

        // The freeze is a banner across carol's page too: who, since when, why, and what it stops.
        WebElement banner = await(carol, d -> d.findElement(By.cssSelector("[data-testid=frozen-banner]")));
        assertThat(banner.findElement(By.cssSelector("[data-testid=frozen-by]")).getText()).isEqualTo("dave");
        assertThat(banner.findElement(By.cssSelector("[data-testid=frozen-reason]")).getText()).isEqualTo("drill <img src=x onerror=window.__xss=1>");
        assertThat(banner.findElement(By.cssSelector("[data-testid=frozen-at]")).getAttribute("datetime"))
                .isEqualTo(q.get("/api/status").json().path("at").asText());
        assertThat(banner.getText()).contains("No agent starts and nothing merges or deploys until on-call says unfreeze");
        assertThat(banner.findElements(By.tagName("img"))).isEmpty();
        shot(carol, "chat-carol");
        carol.navigate().refresh(); // and on load, on every view
        carol.findElement(By.cssSelector("[data-testid=nav-history]")).click();
        await(carol, d -> d.findElement(By.cssSelector("[data-testid=frozen-by]")).getText().equals("dave"));

        send(bob, "unfreeze");
        awaitBot(bob, "Unfrozen by dave");
        await(carol, d -> d.findElements(By.cssSelector("[data-testid=frozen-banner]")).isEmpty());
        await(bob, d -> d.findElements(By.cssSelector("[data-testid=frozen-banner]")).isEmpty());

        // The room in the system's dark mode: cards, bubbles, the refusal and the composer all dark, text light
        PageChecks.emulateDark(bob);
        assertThat(PageChecks.notDark(bob, "#view-chat")).as("what is not dark in the chat in dark mode").isEmpty();
        shot(bob, "chat-dark");
    }

    @Test
    void theDashboardCountsTheWholeHistoryAndStateChangesReachOpenPagesLive() throws Exception {
        Requests requests = q.quorum().requests();
        List<Request> opened = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            RequestType type = i % 3 == 0 ? RequestType.TEST : RequestType.RESEARCH;
            String text = type == RequestType.TEST ? "test" : "research question " + i;
            Request r = requests.open(type, from(i % 2 == 0 ? "alice" : "bob", text), text, null);
            if (i % 4 == 1 || i % 4 == 2) r = requests.move(r, RequestState.RUNNING, "quorum", null).orElseThrow();
            if (i % 4 == 2) r = requests.move(r, RequestState.SUCCEEDED, "quorum", "answered").orElseThrow();
            if (i % 8 == 3) r = requests.move(r, RequestState.FAILED, "quorum", "no answer").orElseThrow();
            if (i % 4 != 0) requests.store().addCost(r.id(), 0.25 * (i % 4));
            opened.add(r);
        }

        // Totals are the whole history's, from the stats endpoint, though only 20 rows are shown.
        WebDriver browser = open("/#/history?limit=20");
        awaitTotals(browser, q.get("/api/requests/stats").json(), 20);
        assertThat(text(browser, "total-count")).isEqualTo("60 requests");
        assertThat(browser.findElement(By.cssSelector("[data-testid=history-shown]")).getText()).isEqualTo("Showing the newest 20 of 60.");
        shot(browser, "history-totals");

        // Filtered: the same filters for the rows and the totals; the chosen page size stays.
        new Select(browser.findElement(By.cssSelector("[data-testid=filter-type]"))).selectByValue("test");
        browser.findElement(By.cssSelector("[data-testid=history-filters] button[type=submit]")).click();
        await(browser, d -> d.getCurrentUrl().endsWith("#/history?type=test&limit=20"));
        await(browser, d -> d.findElements(By.cssSelector("[data-testid=history-row] [data-testid=type-badge]")).stream()
                .allMatch(b -> b.getText().equals("test")));
        awaitTotals(browser, q.get("/api/requests/stats?type=test").json(), 20);
        assertThat(browser.findElement(By.cssSelector("[data-testid=load-more]")).isDisplayed()).isFalse();
        awaitLive(browser, null);

        try (SseClient room = q.events("carol")) {
            // A test request changes state on the server: its row and the totals follow, nothing in chat says so.
            Request queuedTest = opened.get(48);
            assertThat(historyRow(browser, queuedTest.id()).getAttribute("data-state")).isEqualTo("queued");
            assertThat(browser.findElement(By.cssSelector("[data-testid=history-stale]")).isDisplayed()).isFalse();
            PageChecks.Shifts beforeLive = PageChecks.layoutShifts(browser);
            requests.move(queuedTest, RequestState.CANCELLED, "console:alice", "not needed");
            await(browser, d -> historyRow(d, queuedTest.id()).getAttribute("data-state").equals("cancelled"));
            assertThat(browser.findElement(By.cssSelector("[data-testid=history-stale]")).isDisplayed()).isTrue();
            Request extra = requests.open(RequestType.TEST, from("carol", "test"), "test", null);
            awaitTotals(browser, q.get("/api/requests/stats?type=test").json(), 20);
            assertThat(text(browser, "total-count")).isEqualTo("21 requests");
            // A row, the totals and the notice changed under the reader, and nothing on the page jumped
            PageChecks.assertSteady(browser, beforeLive, "the history page while requests change");
            browser.findElement(By.cssSelector("[data-testid=history-reload]")).click();
            await(browser, d -> !d.findElements(By.cssSelector("[data-testid=history-row][data-request-id='" + extra.id() + "']")).isEmpty());

            // An open request page follows the request's state changes through the 'request' events alone.
            Request research = opened.get(4);
            browser.get(q.url("/#/requests/" + research.id()));
            await(browser, d -> d.findElement(By.cssSelector("#request-title [data-testid=state-badge]")).getText().equals("queued"));
            awaitLive(browser, null);
            PageChecks.Shifts beforeRun = PageChecks.layoutShifts(browser);
            Request running = requests.move(research, RequestState.RUNNING, "quorum", null).orElseThrow();
            await(browser, d -> d.findElement(By.cssSelector("#request-title [data-testid=state-badge]")).getText().equals("running"));
            requests.move(running, RequestState.SUCCEEDED, "quorum", "the build is slow because of the docs step");
            await(browser, d -> d.findElement(By.cssSelector("#request-title [data-testid=state-badge]")).getText().equals("succeeded"));
            assertThat(browser.findElement(By.cssSelector("[data-testid=request-summary]")).getText()).isEqualTo("the build is slow because of the docs step");
            PageChecks.assertSteady(browser, beforeRun, "a request page while its request runs and ends");
            shot(browser, "request-live");

            // They came as live-only 'request' events (no id, so not in the room's log) ...
            SseClient.Event event = room.await(e -> e.kind().equals("request") && e.data().path("request_id").asText().equals(research.id())
                    && e.data().path("state").asText().equals("succeeded"), WAIT);
            assertThat(event.id()).isNull();
            // ... and the room said nothing: no chat event at all, and no bubble on the page.
            assertThat(room.seen()).extracting(SseClient.Event::kind).containsOnly("request");
        }
        browser.findElement(By.cssSelector("[data-testid=nav-chat]")).click();
        await(browser, d -> d.findElement(By.cssSelector("[data-testid=chat-empty]")).isDisplayed());
        assertThat(browser.findElements(By.cssSelector("[data-testid=chat-log] > li:not([data-testid=chat-empty])"))).isEmpty();
    }

    @Test
    void historyListsRequestsAndTheRequestPageShowsAndVotes() throws Exception {
        Requests requests = q.quorum().requests();
        Request research = requests.open(RequestType.RESEARCH, from("alice", "research why is the build slow"), "research why is the build slow", null);
        Request merge = requests.open(RequestType.MERGE, from("alice", "merge feature/greeting"), "merge feature/greeting", null);
        merge = VotingFixture.openForVotes(q.quorum(), merge, "feature/greeting");
        Request test = requests.open(RequestType.TEST, from("bob", "test"), "test", null);
        test = requests.move(test, RequestState.RUNNING, "quorum", null).orElseThrow();
        requests.move(test, RequestState.FAILED, "quorum", "2 tests failed");
        String mergeId = merge.id();

        WebDriver browser = open("/#/history");
        awaitLive(browser, "alice");
        await(browser, d -> d.findElements(By.cssSelector("[data-testid=history-row]")).size() == 3);
        WebElement row = historyRow(browser, research.id());
        assertThat(row.findElement(By.cssSelector("[data-testid=state-badge]")).getText()).isEqualTo("queued");
        assertThat(row.getText()).contains("research", "alice", "research why is the build slow");
        assertThat(historyRow(browser, mergeId).getAttribute("data-state")).isEqualTo("awaiting_approval");
        assertThat(historyRow(browser, test.id()).getAttribute("data-state")).isEqualTo("failed");
        assertThat(browser.findElement(By.cssSelector("[data-testid=total-count]")).getText()).contains("3");
        await(browser, d -> "ok".equals(d.findElement(By.cssSelector("[data-testid=audit-status]")).getAttribute("data-state")));
        assertThat(browser.findElement(By.cssSelector("[data-testid=audit-status]")).getText()).contains("intact");
        shot(browser, "history");

        new Select(browser.findElement(By.cssSelector("[data-testid=filter-type]"))).selectByValue("merge");
        browser.findElement(By.cssSelector("[data-testid=history-filters] button[type=submit]")).click();
        await(browser, d -> d.findElements(By.cssSelector("[data-testid=history-row]")).size() == 1);
        assertThat(browser.getCurrentUrl()).endsWith("#/history?type=merge");

        // The merge's card: alice asked, so she cannot approve; bob can, and carol vetoes with a reason.
        historyRow(browser, mergeId).findElement(By.cssSelector("[data-testid=history-link]")).click();
        await(browser, d -> d.findElement(By.cssSelector("#request-title")).getText().startsWith(mergeId));
        WebElement approve = await(browser, d -> d.findElement(By.cssSelector("[data-testid=approve-button]")));
        assertThat(approve.isEnabled()).isFalse();
        assertThat(browser.findElement(By.cssSelector("#request-title [data-testid=state-badge]")).getText()).isEqualTo("awaiting approval");

        try (SseClient room = q.events("carol")) {
            actAs(browser, "bob");
            await(browser, d -> d.findElement(By.cssSelector("[data-testid=approve-button]")).isEnabled());
            browser.findElement(By.cssSelector("[data-testid=approve-button]")).click();
            room.await(e -> e.kind().equals("message") && e.data().path("from").asText().equals("bob")
                    && e.text().equals("approve " + mergeId), WAIT);
            await(browser, d -> d.findElement(By.cssSelector("[data-testid=vote-status]")).getText().contains("Sent approve " + mergeId));
            // The vote counted under the merge policy: it is listed, and Quorum's answer is on the page.
            await(browser, d -> d.findElement(By.cssSelector("[data-testid=vote-row] td")).getText().equals("bob"));
            assertThat(browser.findElement(By.cssSelector("[data-testid=request-votes]")).getText()).doesNotContain("console:");
            await(browser, d -> d.findElement(By.cssSelector("[data-testid=request-latest]")).getText().contains("bob approved " + mergeId));
            shot(browser, "request-merge");

            actAs(browser, "carol");
            // the page re-renders for carol: find and click within the retrying wait, not before it
            await(browser, d -> {
                d.findElement(By.cssSelector("[data-testid=reject-button]")).click();
                return true;
            });
            await(browser, d -> d.findElement(By.cssSelector("[data-testid=reject-reason]")).isDisplayed());
            browser.findElement(By.cssSelector("[data-testid=reject-reason]")).sendKeys("not this week", Keys.ENTER);
            room.await(e -> e.kind().equals("message") && e.text().equals("reject " + mergeId + " not this week"), WAIT);
        }

        // The veto closes the request; its page follows, with no buttons left.
        await(browser, d -> d.findElement(By.cssSelector("#request-title [data-testid=state-badge]")).getText().equals("rejected"));
        assertThat(browser.findElements(By.cssSelector("[data-testid=approve-button]"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("[data-testid=request-reason]")).getText()).isEqualTo("rejected by carol: not this week");

        // The research request's record, reached from the dashboard.
        browser.findElement(By.cssSelector("[data-testid=nav-history]")).click();
        await(browser, d -> d.findElements(By.cssSelector("[data-testid=history-row]")).size() == 3);
        historyRow(browser, research.id()).findElement(By.cssSelector("[data-testid=history-link]")).click();
        await(browser, d -> d.findElement(By.cssSelector("#request-title")).getText().startsWith(research.id()));
        WebElement text = await(browser, d -> d.findElement(By.cssSelector("[data-testid=request-text]")));
        assertThat(text.getText()).isEqualTo("research why is the build slow");
        assertThat(browser.findElement(By.cssSelector("#request-title [data-testid=type-badge]")).getText()).isEqualTo("research");
        assertThat(browser.findElement(By.cssSelector("#request-title [data-testid=state-badge]")).getText()).isEqualTo("queued");
        assertThat(browser.findElement(By.cssSelector("[data-testid=request-requester]")).getText()).contains("alice");
        assertThat(browser.findElement(By.cssSelector("[data-testid=request-history]")).getText()).contains("request.created", "console:alice");
        shot(browser, "request-research");

        browser.get(q.url("/#/requests/R404"));
        await(browser, d -> d.findElement(By.cssSelector("[data-testid=request-error]")).getText().contains("no request R404"));
    }

    @Test
    void withoutDemoModeTheMemberSignsInWithTheirToken() throws Exception {
        q.close();
        String yaml = QuorumHarness.tokenConfigText();
        q = QuorumHarness.start(data, yaml, Map.of(), Clock.systemUTC());
        q.quorum().requests().open(RequestType.TEST, from("bob", "test"), "test", null);

        WebDriver browser = open("/#/chat");
        await(browser, d -> "signed-out".equals(d.findElement(By.cssSelector("[data-testid=conn-status]")).getAttribute("data-state")));
        assertThat(browser.findElements(By.cssSelector("[data-testid=user-select]")).getFirst().isDisplayed()).isFalse();
        WebElement token = browser.findElement(By.cssSelector("[data-testid=token-input]"));
        token.sendKeys("wrong-token-0123456789", Keys.ENTER);
        await(browser, d -> d.findElement(By.cssSelector("[data-testid=current-user]")).getText().equals("Unknown token"));

        token.clear();
        token.sendKeys("alice-token-0123456789", Keys.ENTER);
        awaitLive(browser, "alice");
        assertThat(browser.findElement(By.cssSelector("[data-testid=current-user]")).getText()).isEqualTo("Signed in as alice");
        send(browser, "status");
        awaitBot(browser, "Not frozen.");
        assertThat(member(browser, "status").orElseThrow().getAttribute("data-mine")).isEqualTo("true");

        // The page holds no credential: the token went to the login once; the session cookie is HttpOnly.
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertThat(js.executeScript("return JSON.stringify(Object.assign({}, window.localStorage))").toString()).doesNotContain("alice-token");
        assertThat(js.executeScript("return document.cookie").toString()).doesNotContain("quorum_session");
        assertThat(browser.findElement(By.cssSelector("[data-testid=token-input]")).isDisplayed()).isFalse();

        browser.navigate().refresh(); // the session is remembered
        awaitLive(browser, "alice");
        browser.findElement(By.cssSelector("[data-testid=nav-history]")).click();
        await(browser, d -> d.findElements(By.cssSelector("[data-testid=history-row]")).size() == 1);
        await(browser, d -> "ok".equals(d.findElement(By.cssSelector("[data-testid=audit-status]")).getAttribute("data-state")));

        browser.findElement(By.cssSelector("[data-testid=sign-out]")).click();
        await(browser, d -> "signed-out".equals(d.findElement(By.cssSelector("[data-testid=conn-status]")).getAttribute("data-state")));
        assertThat(browser.findElement(By.cssSelector("[data-testid=current-user]")).getText()).isEqualTo("Not signed in");
        // The closed stream is now in the page's resource timing: its URL carried no token.
        assertThat(requestedUrls(browser)).anyMatch(u -> u.contains("/api/console/events")).noneMatch(u -> u.contains("token=") || u.contains("user="));
        assertThat(q.quorum().redis().sync().keys("{q}:console:session:*")).isEmpty();
        browser.navigate().refresh();
        await(browser, d -> "signed-out".equals(d.findElement(By.cssSelector("[data-testid=conn-status]")).getAttribute("data-state")));
        assertThat(browser.findElement(By.cssSelector("[data-testid=token-input]")).isDisplayed()).isTrue();
    }

    @Test
    void tabsOfOneBrowserFollowItsLoginSoNoTabActsAsSomeoneElseUnseen() throws Exception {
        WebDriver browser = open("/#/chat");
        awaitLive(browser, "alice");
        String first = browser.getWindowHandle();
        browser.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        browser.get(q.url("/#/chat"));
        awaitLive(browser, "alice"); // the browser's session, not a fresh choice
        actAs(browser, "dave");
        browser.switchTo().window(first);
        awaitLive(browser, "dave");
        assertThat(new Select(browser.findElement(By.cssSelector("[data-testid=user-select]"))).getFirstSelectedOption().getDomProperty("value"))
                .isEqualTo("dave");
        send(browser, "status");
        WebElement status = member(browser, "status").orElseThrow();
        assertThat(status.getAttribute("data-mine")).isEqualTo("true");
        assertThat(q.quorum().redis().sync().keys("{q}:console:session:*")).hasSize(1);
    }


    @Test
    void aRequestPageReadsLikeAPageShowsTheDiffAndFitsADesktopAndAPhone() throws Exception {
        useShellRepo();
        String test = q.ask("alice", "test");
        q.awaitState(test, "succeeded");
        String deploy = q.ask("alice", "deploy staging");
        q.awaitState(deploy, "awaiting_approval");
        q.say("bob", "approve " + deploy);
        q.awaitState(deploy, "done");
        // A branch whose diff is hostile: markup in a path and in code, and a bidirectional override that makes a
        // line read differently from what it does (the "Trojan Source" trick).
        app.branch("feature/mul", Map.of("src/app.py", ShellRepo.APP + "\n\n# multiplies <img src=x onerror=window.__xss=1>\n"
                        + "def mul(a, b):\n    return a * b  # \u202E } \u2066// checked\u2069\n",
                "docs/<b>notes</b>.md", "# Notes\n<script>window.__xss=2</script>\n"));
        String merge = q.ask("alice", "merge feature/mul");
        q.awaitState(merge, "awaiting_approval");

        WebDriver browser = open("/#/requests/" + merge);
        awaitLive(browser, "alice");
        actAs(browser, "carol");
        // The page may render again while it is read (the request's last progress edit arrives): read it whole again then.
        whileStale(() -> {
            WebElement diff = await(browser, d -> {
                WebElement p = d.findElement(By.cssSelector("[data-testid=request-diff]"));
                return "ready".equals(p.getAttribute("data-state")) ? p : null;
            });
            // The open vote is the first thing on the page, above the overview.
            WebElement bar = browser.findElement(By.cssSelector("[data-testid=vote-bar]"));
            assertThat(bar.findElement(By.cssSelector("[data-testid=approve-button]")).isEnabled()).isTrue();
            assertThat(bar.getLocation().getY()).isLessThan(browser.findElement(By.cssSelector("[data-testid=request-overview]")).getLocation().getY());
            assertThat(bar.getLocation().getY()).isLessThan(200);

            assertThat(diff.findElement(By.cssSelector("[data-testid=diff-stat]")).getText()).isEqualTo("2 files changed +7 −0");
            assertThat(diff.findElement(By.cssSelector("[data-testid=diff-range]")).getText()).startsWith("main ").contains(" → the merge of feature/mul ");
            List<WebElement> files = diff.findElements(By.cssSelector("[data-testid=diff-file]"));
            assertThat(files).extracting(f -> f.getAttribute("data-path")).containsExactly("docs/<b>notes</b>.md", "src/app.py");
            WebElement py = files.get(1);
            assertThat(py.getAttribute("open")).isNotNull();
            assertThat(py.findElement(By.cssSelector("[data-testid=diff-change]")).getText()).isEqualTo("MODIFIED");
            assertThat(py.findElements(By.cssSelector("tr.add"))).hasSize(5);
            assertThat(py.findElements(By.cssSelector(".tok-keyword"))).extracting(WebElement::getText).contains("def", "return");
            assertThat(py.findElements(By.cssSelector(".tok-comment"))).isNotEmpty();
            assertThat(py.findElements(By.cssSelector("[data-testid=hidden-char]"))).extracting(WebElement::getText)
                    .containsExactly("⟨U+202E⟩", "⟨U+2066⟩", "⟨U+2069⟩");
            assertThat(py.findElement(By.cssSelector("[data-testid=diff-hidden-warning]")).getText()).contains("hidden or bidirectional Unicode");
            assertThat(py.getText()).contains("# multiplies <img src=x onerror=window.__xss=1>");
            assertThat(browser.findElements(By.cssSelector("[data-testid=request-body] img, [data-testid=request-body] b, [data-testid=request-body] script"))).isEmpty();
            assertThat(((JavascriptExecutor) browser).executeScript("return window.__xss === undefined")).isEqualTo(true);
        });
        WebElement py = browser.findElement(By.cssSelector("[data-testid=diff-file][data-path='src/app.py']"));
        // Collapsed by the reader, a file stays collapsed when the page refreshes with the vote.
        py.findElement(By.tagName("summary")).click();
        assertThat(py.getAttribute("open")).isNull();
        assertNoSidewaysScrolling(browser, "a merge with its diff");
        shot(browser, "request-diff-1280");
        phoneSized(browser);
        assertNoSidewaysScrolling(browser, "a merge with its diff, on a phone");
        shot(browser, "request-diff-390");
        desktopSized(browser);

        browser.findElement(By.cssSelector("[data-testid=approve-button]")).click();
        await(browser, d -> d.findElements(By.cssSelector("[data-testid=vote-row] td")).stream().anyMatch(td -> td.getText().equals("carol")));
        assertThat(browser.findElement(By.cssSelector("[data-testid=diff-file][data-path='src/app.py']")).getAttribute("open")).isNull();
        assertThat(browser.findElement(By.cssSelector("[data-testid=request-votes]")).getText()).doesNotContain("console:");

        // The tally links to the change; #/requests/R<n>/diff opens the page at it.
        assertThat(browser.findElement(By.cssSelector("[data-testid=see-diff]")).getDomAttribute("href")).isEqualTo("#/requests/" + merge + "/diff");
        browser.get(q.url("/#/history"));
        browser.get(q.url("/#/requests/" + merge + "/diff"));
        await(browser, d -> (Boolean) ((JavascriptExecutor) d).executeScript("""
                const p = document.querySelector('[data-testid=request-diff][data-state=ready]');
                if (!p) return false;
                const top = p.getBoundingClientRect().top;
                return top >= 0 && top < 120;"""));

        // The deploy: its evidence, its execution as times, no raw keys, values or escapes.
        browser.get(q.url("/#/requests/" + deploy));
        WebElement outcome = await(browser, d -> d.findElement(By.cssSelector("[data-testid=execution-outcome]")));
        assertThat(outcome.getText()).isEqualTo("Succeeded");
        String started = browser.findElement(By.cssSelector("[data-testid=execution-started]")).getText();
        assertThat(started).doesNotContainPattern("\\d{12}").containsPattern("\\d{1,2}:\\d{2}").containsPattern("· (just now|\\d+ min ago)");
        // (The diff shows the deploy script itself, escapes and all; the audit history keeps identities as recorded.)
        for (String part : List.of("request-overview", "request-approval", "request-execution", "request-evidence")) {
            assertThat(text(browser, part)).as(part).doesNotContainPattern("\\b1\\d{12}\\b")
                    .doesNotContain("Ok", "true", "console:", "[32m", "[0m", ShellRepo.ESC);
        }
        assertThat(text(browser, "request-history")).doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:");
        assertThat(browser.findElement(By.cssSelector("[data-testid=evidence-line]")).getText()).startsWith("passed: 1 passed");
        assertThat(browser.findElement(By.cssSelector("[data-testid=evidence-seal]")).getText()).isEqualTo("sealed by Quorum ✓");
        browser.findElement(By.cssSelector("[data-testid=request-diff] [data-testid=diff-range-note]"));
        assertThat(text(browser, "diff-range-note")).startsWith("The first deploy to staging");
        assertThat(browser.findElement(By.cssSelector("[data-testid=vote-row] td")).getText()).isEqualTo("bob");
        assertNoSidewaysScrolling(browser, "a deploy");
        phoneSized(browser);
        assertNoSidewaysScrolling(browser, "a deploy, on a phone");
        shot(browser, "request-deploy-390");
        desktopSized(browser);

        // The history and its audit entries, at both widths.
        browser.get(q.url("/#/history"));
        await(browser, d -> d.findElements(By.cssSelector("[data-testid=history-row]")).size() == 3);
        browser.findElement(By.cssSelector("#audit-recent summary")).click();
        await(browser, d -> d.findElements(By.cssSelector("[data-testid=audit-table] tbody tr")).size() >= 10);
        assertNoSidewaysScrolling(browser, "the history and the audit log");
        shot(browser, "history-audit-1280");
        phoneSized(browser);
        assertNoSidewaysScrolling(browser, "the history and the audit log, on a phone");
        shot(browser, "history-audit-390");
    }

    @Test
    void theChatStaysAtTheBottomUnderLoadAndOffersNewMessagesWhenScrolledUp() throws Exception {
        WebDriver browser = open("/#/chat");
        awaitLive(browser, "alice");
        send(browser, "status");
        awaitBot(browser, "Not frozen.");

        // Many replies and edits of them at once, from several threads, as under load: the page keeps the newest in view.
        postLoad(6, 25, "burst");
        WebElement last = awaitBot(browser, "burst 5/24 edited");
        await(browser, d -> atBottom(d));
        assertThat(browser.findElement(By.cssSelector("[data-testid=jump-latest]")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("[data-testid=msg-bot]")).stream().filter(e -> e.getText().contains("burst ")).count())
                .isEqualTo(6 * 25);
        assertThat(last.isDisplayed()).isTrue();

        // Scrolled up to read: new messages and edits do not pull the reader down, the button offers them.
        ((JavascriptExecutor) browser).executeScript("const l = document.getElementById('chat-log'); l.scrollTop = 0;");
        await(browser, d -> !atBottom(d));
        long top = scrollTop(browser);
        postLoad(3, 10, "later");
        awaitBot(browser, "later 2/9 edited");
        WebElement jump = await(browser, d -> {
            WebElement j = d.findElement(By.cssSelector("[data-testid=jump-latest]"));
            return j.isDisplayed() ? j : null;
        });
        assertThat(scrollTop(browser)).isEqualTo(top);
        jump.click();
        await(browser, d -> atBottom(d));
        assertThat(jump.isDisplayed()).isFalse();
        // ... and it follows again from there.
        postLoad(2, 5, "after");
        awaitBot(browser, "after 1/4 edited");
        await(browser, d -> atBottom(d));
    }

    @Test
    void linksToThePublicAddressStayOnThePagesOwnOrigin() throws Exception {
        q.close();
        // Quorum is published under another name than the one this browser uses (a proxy, a LAN address).
        q = QuorumHarness.start(data, QuorumHarness.bundledConfigText(), Map.of("QUORUM_PUBLIC_URL", "http://quorum.example.test:9999"), Clock.systemUTC());
        Request r = q.quorum().requests().open(RequestType.TEST, from("alice", "test"), "test", null);
        WebDriver browser = open("/#/chat");
        awaitLive(browser, "alice");
        send(browser, "status " + r.id());
        WebElement card = awaitBot(browser, r.id() + " ·");
        WebElement link = card.findElement(By.cssSelector("[data-testid=card-link]"));
        assertThat(link.getDomAttribute("href")).isEqualTo("#/requests/" + r.id());
        assertThat(link.getDomAttribute("target")).isNull();

        // Text links: the public address becomes relative; another site's link stays that site's, in a new tab.
        q.quorum().messenger().post(ConsoleAdapter.ROOM, dev.quorum.conversation.Reply.text("see http://quorum.example.test:9999/#/history"
                + " and http://quorum.example.test:9999/api/requests/" + r.id() + "/log and https://elsewhere.example/#/history"));
        WebElement text = awaitBot(browser, "elsewhere.example");
        List<WebElement> links = text.findElements(By.cssSelector("[data-testid=card-text] a"));
        assertThat(links).extracting(a -> a.getDomAttribute("href"))
                .containsExactly("#/history", "api/requests/" + r.id() + "/log", "https://elsewhere.example/#/history");
        assertThat(links.get(2).getDomAttribute("target")).isEqualTo("_blank");
        assertThat(links.get(2).getDomAttribute("rel")).isEqualTo("noopener noreferrer");
        assertThat(links.get(1).getDomProperty("href")).isEqualTo(q.url("/api/requests/" + r.id() + "/log"));

        link.click();
        await(browser, d -> d.getCurrentUrl().equals(q.url("/#/requests/" + r.id())));
        await(browser, d -> d.findElement(By.cssSelector("#request-title")).getText().startsWith(r.id()));
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** Runs this test's Quorum on {@link ShellRepo} instead of the demo: real test runs, votes and deploys in seconds. */
    private void useShellRepo() throws Exception {
        q.close();
        q = null;
        app = ShellRepo.start(data.resolve("shell"), true);
        q = app.quorum();
    }

    /** Posts {@code each} replies from each of {@code threads} threads at once, editing every one right after. */
    private void postLoad(int threads, int each, String label) throws Exception {
        var messenger = q.quorum().messenger();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        String text = label + " " + thread + "/" + i;
                        var posted = messenger.post(ConsoleAdapter.ROOM, dev.quorum.conversation.Reply.text(text));
                        messenger.update(posted, dev.quorum.conversation.Reply.text(text + " edited\nwith a second line").withFields(
                                List.of(new dev.quorum.conversation.Reply.Field("step", "done"))));
                    }
                    return null;
                }));
            }
            for (var f : done) f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
    }

    private static boolean atBottom(WebDriver d) {
        return (Boolean) ((JavascriptExecutor) d).executeScript(
                "const l = document.getElementById('chat-log'); return l.scrollHeight - l.scrollTop - l.clientHeight < 2;");
    }

    private static long scrollTop(WebDriver d) {
        return ((Number) ((JavascriptExecutor) d).executeScript("return Math.round(document.getElementById('chat-log').scrollTop);")).longValue();
    }

    private static void phoneSized(WebDriver d) {
        viewport(d, 390, 844);
    }

    private static void desktopSized(WebDriver d) {
        viewport(d, 1280, 900);
    }

    /** The page's viewport exactly this size (a window cannot be made this narrow in every Chromium). */
    private static void viewport(WebDriver d, int width, int height) {
        ((ChromeDriver) d).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        await(d, x -> ((Number) ((JavascriptExecutor) x).executeScript("return window.innerWidth")).intValue() == width);
    }

    /**
     * Nothing on the page is wider than the viewport: the document does not scroll sideways
     * (scrollWidth <= clientWidth), no scroll box inside it does, and no element ends past its right edge.
     */
    private static void assertNoSidewaysScrolling(WebDriver d, String what) {
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) ((JavascriptExecutor) d).executeScript("""
                const out = [];
                const doc = document.scrollingElement;
                if (doc.scrollWidth > doc.clientWidth) out.push('the document: ' + doc.scrollWidth + ' > ' + doc.clientWidth);
                const width = document.documentElement.clientWidth;
                const name = (e) => e.tagName.toLowerCase() + (e.dataset.testid ? '[' + e.dataset.testid + ']' : '')
                    + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
                for (const e of document.querySelectorAll('body *')) {
                  const r = e.getBoundingClientRect();
                  if (r.width === 0 || r.height === 0) continue;
                  const st = getComputedStyle(e);
                  if ((st.overflowX === 'auto' || st.overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 1) {
                    out.push(name(e) + ' scrolls sideways: ' + e.scrollWidth + ' > ' + e.clientWidth);
                  }
                  if (r.right > width + 1 && r.width > 2) out.push(name(e) + ' ends at ' + Math.round(r.right) + ' > ' + width);
                }
                return out.slice(0, 15);
                """);
        assertThat(problems).as("what is wider than the page on %s at %s px", what,
                ((JavascriptExecutor) d).executeScript("return window.innerWidth")).isEmpty();
    }

    private static IncomingMessage from(String user, String text) {
        return IncomingMessage.human(Identity.console(user), ConsoleAdapter.ROOM, text);
    }

    private WebDriver open(String path) throws Exception {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--user-data-dir=" + Files.createTempDirectory(profiles, "chromium"));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        WebDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        driver.get(q.url(path));
        return driver;
    }

    /** Runs {@code checks} until they read a page that was not replaced under them (a render while they ran). */
    private static void whileStale(Runnable checks) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                checks.run();
                return;
            } catch (StaleElementReferenceException e) {
                if (System.nanoTime() > end) throw e;
            }
        }
    }

    private static <T> T await(WebDriver driver, java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT, POLL).ignoring(StaleElementReferenceException.class).until(condition::apply);
    }

    /** Waits until the page's event stream is open, for {@code user} when given. */
    private static void awaitLive(WebDriver driver, String user) {
        await(driver, d -> {
            WebElement conn = d.findElement(By.cssSelector("[data-testid=conn-status]"));
            return "live".equals(conn.getAttribute("data-state")) && (user == null || user.equals(conn.getAttribute("data-user")));
        });
    }

    private static void actAs(WebDriver driver, String user) {
        WebElement select = await(driver, d -> {
            WebElement s = d.findElement(By.cssSelector("[data-testid=user-select]"));
            return s.isDisplayed() && !s.findElements(By.tagName("option")).isEmpty() ? s : null;
        });
        new Select(select).selectByValue(user);
        awaitLive(driver, user);
    }

    /** Types a command and presses Enter, then waits until the page has its answer (202 or an error). */
    private static void send(WebDriver driver, String text) {
        WebElement button = driver.findElement(By.cssSelector("[data-testid=send-button]"));
        await(driver, d -> button.isEnabled());
        WebElement input = driver.findElement(By.cssSelector("[data-testid=message-input]"));
        input.sendKeys(text, Keys.ENTER);
        await(driver, d -> button.isEnabled() && input.getDomProperty("value").isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static List<String> requestedUrls(WebDriver driver) {
        return (List<String>) ((JavascriptExecutor) driver).executeScript("return performance.getEntriesByType('resource').map(e => e.name)");
    }

    private static WebElement awaitBot(WebDriver driver, String fragment) {
        return await(driver, d -> d.findElements(By.cssSelector("[data-testid=msg-bot]")).stream()
                .filter(e -> e.getText().contains(fragment)).reduce((a, b) -> b).orElse(null));
    }

    private static Optional<WebElement> member(WebDriver driver, String text) {
        return driver.findElements(By.cssSelector("[data-testid=msg-member]")).stream()
                .filter(e -> e.findElement(By.cssSelector(".bubble")).getText().equals(text)).findFirst();
    }

    private static String log(WebDriver driver) {
        return driver.findElement(By.cssSelector("[data-testid=chat-log]")).getText();
    }

    /**
     * Waits until the dashboard's totals are exactly {@code stats} (count, each state, cost) while
     * it shows at most {@code rows} rows, fewer than the count when the history is longer.
     */
    private static void awaitTotals(WebDriver driver, JsonNode stats, int rows) {
        long count = stats.path("count").asLong();
        await(driver, d -> {
            WebElement totals = d.findElement(By.cssSelector("[data-testid=history-totals]"));
            return "ready".equals(totals.getAttribute("data-state"))
                    && String.valueOf(count).equals(totals.findElement(By.cssSelector("[data-testid=total-count]")).getAttribute("data-count"))
                    && d.findElements(By.cssSelector("[data-testid=history-row]")).size() == Math.min(rows, count);
        });
        WebElement totals = driver.findElement(By.cssSelector("[data-testid=history-totals]"));
        Map<String, String> byState = new java.util.TreeMap<>();
        for (WebElement e : totals.findElements(By.cssSelector("[data-testid=total-state]"))) {
            byState.put(e.getAttribute("data-state"), e.getAttribute("data-count"));
        }
        Map<String, String> expected = new java.util.TreeMap<>();
        stats.path("by_state").properties().forEach(e -> {
            if (e.getValue().asLong() > 0) expected.put(e.getKey(), e.getValue().asText());
        });
        assertThat(byState).as("totals by state").isEqualTo(expected);
        double cost = stats.path("cost_usd").asDouble();
        WebElement shownCost = totals.findElement(By.cssSelector("[data-testid=total-cost]"));
        assertThat(Double.parseDouble(shownCost.getAttribute("data-value"))).isEqualTo(cost);
        assertThat(shownCost.getText()).endsWith(String.format(java.util.Locale.ROOT, "$%.2f", cost));
    }

    /** The visible text of the element with that data-testid, whitespace collapsed. */
    private static String text(WebDriver driver, String testid) {
        return driver.findElement(By.cssSelector("[data-testid=" + testid + "]")).getText().replaceAll("\\s+", " ").strip();
    }

    private static WebElement historyRow(WebDriver driver, String id) {
        return driver.findElement(By.cssSelector("[data-testid=history-row][data-request-id='" + id + "']"));
    }

    private static void shot(WebDriver driver, String name) throws Exception {
        String dir = System.getProperty("quorum.screenshots");
        if (dir == null || dir.isBlank()) return;
        Files.createDirectories(Path.of(dir));
        File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), Path.of(dir, name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
