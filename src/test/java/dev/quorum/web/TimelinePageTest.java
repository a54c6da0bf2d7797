package dev.quorum.web;

import dev.quorum.audit.AuditLog;
import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.request.Request;
import dev.quorum.request.RequestType;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request's timeline and the audit page in Debian's headless Chromium against a running Quorum: the merge's story
 * as the server tells it (hostile text kept as text), then the audit chain's verification, its anchors, and a search
 * that narrows the entries to one request. Screenshots at desktop width and at 390 px go to {@code target/screenshots/}.
 */
class TimelinePageTest extends ConsolePageCase {

    @Test
    void aRequestsTimelineAndTheAuditPageWithItsVerificationAndASearch() throws Exception {
        var requests = q.quorum().requests();
        String hostile = "merge feature/greeting <img src=x onerror=window.__xss=1>";
        Request merge = VotingFixture.openForVotes(q.quorum(),
                requests.open(RequestType.MERGE, from("alice", hostile), hostile, null), "feature/greeting");
        Request other = requests.open(RequestType.TEST, from("bob", "test"), "test", null);
        q.quorum().audit().append("note<img src=x onerror=window.__xss=2>", "console:mallory", merge.id(),
                AuditLog.details("text", "<img src=x onerror=window.__xss=3>"));

        browser = ConsoleBrowser.open(q.url("/#/requests/" + merge.id()), profile);
        WebDriver d = browser.driver();
        browser.actAs("carol");
        List<WebElement> entries = browser.until(x -> {
            List<WebElement> e = x.findElements(By.cssSelector("[data-testid=request-timeline] [data-testid=timeline-entry]"));
            return e.size() >= 4 ? e : null;
        });
        assertThat(entries).extracting(e -> e.getDomAttribute("data-kind")).containsSubsequence("created", "state", "state");
        assertThat(entries.getFirst().findElement(By.cssSelector("[data-testid=timeline-text]")).getText()).isEqualTo("asked: " + hostile);
        assertThat(entries.getFirst().findElement(By.cssSelector("[data-testid=timeline-platform]")).getText()).isEqualTo("on console");
        assertThat(d.findElement(By.cssSelector("[data-testid=request-timeline]")).getText())
                .contains("queued → verifying", "verifying → awaiting_approval", "passed: 3 passed, 0 failed, 0 skipped");
        assertThat(d.findElements(By.cssSelector("#view-request img"))).isEmpty();
        assertThat(((JavascriptExecutor) d).executeScript("return window.__xss === undefined")).isEqualTo(true);
        WebElement console = d.findElement(By.cssSelector("[data-testid=request-links] a[data-kind=console]"));
        assertThat(console.getDomAttribute("href")).isEqualTo("#/requests/" + merge.id());
        PageChecks.assertSteady(d, PageChecks.Shifts.NONE, "the request page with its timeline");
        browser.screenshot(SHOTS, "timeline-desktop");

        // The audit page, reached with the keyboard: from the skip link, Tab to the navigation and Enter. The chain
        // verified, the anchors outside Redis, everything newest first.
        ((JavascriptExecutor) d).executeScript("document.getElementById('skip-link').focus()");
        PageChecks.tabTo(d, "[data-testid=nav-audit]", 8);
        assertThat(PageChecks.focusRing(d)).as("a focused navigation link shows its focus").isNotNull();
        // …which the check would miss if it were gone (CSSOM, which the page's Content-Security-Policy allows)
        ((JavascriptExecutor) d).executeScript("document.activeElement.style.outline = 'none'");
        assertThat(PageChecks.focusRing(d)).as("a link without its outline").isNull();
        ((JavascriptExecutor) d).executeScript("document.activeElement.style.outline = ''");
        PageChecks.Shifts beforeAudit = PageChecks.layoutShifts(d);
        PageChecks.press(d, Keys.ENTER);
        browser.until(x -> x.getCurrentUrl().endsWith("#/audit"));
        assertThat(((JavascriptExecutor) d).executeScript("return document.activeElement.id")).as("the focus moves to the page's heading").isEqualTo("audit-title");
        WebElement verify = browser.until(x -> {
            WebElement v = x.findElement(By.cssSelector("[data-testid=audit-verify]"));
            return "ok".equals(v.getDomAttribute("data-state")) ? v : null;
        });
        long count = q.get("/api/audit/verify").json().get("entries").asLong();
        assertThat(verify.getText()).isEqualTo("✓ Audit chain intact, " + count + " entries");
        assertThat(d.findElement(By.cssSelector("[data-testid=anchors-file]")).getText()).isEqualTo(data.resolve("audit").resolve("anchors").toString());
        assertThat(d.findElement(By.cssSelector("[data-testid=anchors-count]")).getText())
                .isEqualTo(q.get("/api/audit/anchors").json().get("anchors").asText());
        int all = browser.until(x -> rows(x).size() > 0 ? rows(x).size() : null);
        assertThat(rows(d)).anySatisfy(r -> assertThat(r).contains(other.id()));

        // A search by request, with the keyboard: only that request's entries stay.
        WebElement field = d.findElement(By.id("a-request"));
        field.sendKeys(merge.id().toLowerCase(), Keys.ENTER);
        browser.until(x -> x.getCurrentUrl().endsWith("#/audit?request=" + merge.id().toLowerCase()) && rows(x).size() < all && !rows(x).isEmpty());
        int expected = q.get("/api/audit?request=" + merge.id()).json().get("entries").size();
        assertThat(rows(d)).hasSize(expected).allSatisfy(r -> assertThat(r).contains(merge.id()).doesNotContain(other.id()));
        assertThat(rows(d)).anySatisfy(r -> assertThat(r).contains("note<img src=x onerror=window.__xss=2>"));
        assertThat(d.findElements(By.cssSelector("#view-audit img, #view-request img"))).isEmpty();
        assertThat(((JavascriptExecutor) d).executeScript("return window.__xss === undefined")).isEqualTo(true);
        assertThat(unnamedControls(d)).as("controls a screen reader cannot name").isEmpty();
        PageChecks.assertSteady(d, beforeAudit, "the audit page");
        browser.screenshot(SHOTS, "audit-desktop");

        // The layout-shift check can fail: a block put above the page a moment later, as a late answer would be,
        // moves everything under it and is counted.
        PageChecks.Shifts beforeJump = PageChecks.layoutShifts(d);
        ((JavascriptExecutor) d).executeScript("""
                setTimeout(() => { const b = document.createElement('div'); b.id = 'late-block'; b.style.height = '300px';
                  document.getElementById('view-audit').prepend(b); }, 600);""");
        browser.until(x -> !x.findElements(By.id("late-block")).isEmpty());
        assertThat(PageChecks.layoutShifts(d).since(beforeJump).score()).as("a late block's shift").isGreaterThan(PageChecks.GOOD_SHIFT);
        ((JavascriptExecutor) d).executeScript("document.getElementById('late-block').remove()");

        d.manage().window().setSize(new Dimension(390, 844));
        browser.until(x -> ((JavascriptExecutor) x).executeScript("return document.documentElement.clientWidth <= 390").equals(true));
        assertThat(PageChecks.overflowing(browser.driver(), "#view-audit *")).as("what is wider than the audit page at 390 px").isEmpty();
        browser.screenshot(SHOTS, "audit-390");
        PageChecks.Shifts beforeRequest = PageChecks.layoutShifts(d);
        d.navigate().to(q.url("/#/requests/" + merge.id()));
        browser.until(x -> !x.findElements(By.cssSelector("[data-testid=request-timeline] [data-testid=timeline-entry]")).isEmpty());
        PageChecks.assertSteady(d, beforeRequest, "the request page at 390 px, opened by its address");
        assertThat(PageChecks.overflowing(browser.driver(), "[data-testid=request-timeline] *")).as("what is wider than the timeline at 390 px").isEmpty();
        ((JavascriptExecutor) d).executeScript("document.querySelector('[data-testid=request-timeline]').scrollIntoView()");
        browser.screenshot(SHOTS, "timeline-390");
        PageChecks.emulateDark(d);
        assertThat(PageChecks.notDark(d, "#view-request")).as("what is not dark on the request page in dark mode").isEmpty();
        browser.screenshot(SHOTS, "timeline-390-dark");
        PageChecks.Shifts beforePhone = PageChecks.layoutShifts(d);
        d.navigate().to(q.url("/#/audit"));
        browser.until(x -> "ok".equals(x.findElement(By.cssSelector("[data-testid=audit-verify]")).getDomAttribute("data-state"))
                && !rows(x).isEmpty() && !x.findElements(By.cssSelector("[data-testid=anchors-count]")).isEmpty());
        PageChecks.assertSteady(d, beforePhone, "the audit page at 390 px, opened by its address");
        assertThat(PageChecks.notDark(d, "#view-audit")).as("what is not dark on the audit page in dark mode").isEmpty();
        browser.screenshot(SHOTS, "audit-390-dark");
    }

    /** Buttons, links and fields on the audit page and the timeline without a name a screen reader can say. */
    @SuppressWarnings("unchecked")
    private static List<String> unnamedControls(WebDriver d) {
        return (List<String>) ((JavascriptExecutor) d).executeScript("""
                return Array.from(document.querySelectorAll('#view-audit button, #view-audit a, #view-audit input, #request-body a'))
                  .filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim()
                    || (e.id && document.querySelector('label[for="' + e.id + '"]'))))
                  .map((e) => e.outerHTML.slice(0, 120));""");
    }

    @SuppressWarnings("unchecked")
    private static List<String> rows(WebDriver d) {
        return (List<String>) ((JavascriptExecutor) d).executeScript(
                "return Array.from(document.querySelectorAll('[data-testid=audit-search-table] tbody tr')).map((r) => r.textContent)");
    }

    private static IncomingMessage from(String user, String text) {
        return IncomingMessage.human(Identity.console(user), ConsoleAdapter.ROOM, text);
    }
}
