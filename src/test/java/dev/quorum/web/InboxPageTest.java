package dev.quorum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.conversation.Reply;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestType;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbox, the page a member lands on, in Debian's headless Chromium against a running Quorum with a merge open
 * for votes and a test running: what waits for my vote (as the server's {@code you} says), voting from it, what I
 * asked for and why I may not approve it, and live progress. Screenshots at desktop width and at 390 px go to
 * {@code target/screenshots/}.
 */
class InboxPageTest extends ConsolePageCase {

    @Test
    void iLandOnWhatWaitsForMeVoteFromItAndTheRequesterSeesWhyTheyMayNot() throws Exception {
        var requests = q.quorum().requests();
        Request merge = VotingFixture.openForVotes(q.quorum(),
                requests.open(RequestType.MERGE, from("alice", "merge feature/greeting"), "merge feature/greeting", null), "feature/greeting");
        String hostile = "test <img src=x onerror=window.__xss=1>";
        Request test = requests.open(RequestType.TEST, from("bob", hostile), hostile, null);
        requests.move(test, RequestState.RUNNING, "quorum", null).orElseThrow();
        PostedMessage progress = q.quorum().messenger().post(ConsoleAdapter.ROOM, Reply.text(test.id() + " is running: compiling").about(test.id()));

        browser = ConsoleBrowser.open(q.url("/"), profile);
        WebDriver d = browser.driver();
        browser.actAs("bob");
        assertThat(d.findElement(By.cssSelector("[data-testid=nav-inbox]")).getDomAttribute("aria-current")).isEqualTo("page");

        // Waiting for bob's vote: the merge, with the buttons the server's answer allows.
        JsonNode you = q.get("/api/requests/" + merge.id(), Map.of("X-Quorum-User", "bob")).json().path("you");
        assertThat(you.path("may_vote").asBoolean()).isTrue();
        WebElement card = browser.until(x -> item(x, "inbox-item", merge.id()));
        assertThat(card.findElement(By.cssSelector("[data-testid=inbox-text]")).getText()).isEqualTo("merge feature/greeting");
        assertThat(card.findElement(By.cssSelector("[data-testid=inbox-tally]")).getText()).isEqualTo("no approvals yet; still needs 2 approvals");
        assertThat(card.findElement(By.cssSelector("[data-testid=approve-button]")).isEnabled()).isTrue();
        assertThat(card.findElements(By.cssSelector("[data-testid=vote-why]"))).isEmpty();
        assertThat(d.findElement(By.cssSelector("[data-testid=inbox-count]")).getText()).isEqualTo("1");

        // Running now, with the progress Quorum posted, redrawn live when it posts more.
        browser.until(x -> item(x, "inbox-running-item", test.id()).getText().contains(test.id() + " is running: compiling"));
        q.quorum().messenger().update(progress, Reply.text(test.id() + " is running: 12 tests passed").about(test.id()));
        browser.until(x -> item(x, "inbox-running-item", test.id()).getText().contains("12 tests passed"));
        assertThat(item(d, "inbox-mine-item", test.id()).getAttribute("data-state")).isEqualTo("running");
        // The request's text is text: shown as typed, never markup.
        assertThat(item(d, "inbox-running-item", test.id()).getText()).contains(hostile);
        assertThat(d.findElements(By.cssSelector("#view-inbox img"))).isEmpty();
        assertThat(((JavascriptExecutor) d).executeScript("return window.__xss === undefined")).isEqualTo(true);
        assertThat(PageChecks.unnamedControls(d, "#view-inbox")).as("controls a screen reader cannot name").isEmpty();
        // Loaded, redrawn live, and nothing jumped under the reader
        PageChecks.assertSteady(d, PageChecks.Shifts.NONE, "the inbox");
        browser.screenshot(SHOTS, "inbox-desktop");

        // bob approves from the inbox with the keyboard only: Tab from the top bar to the card's Approve, its focus
        // shown, Enter; the vote counts, and the card leaves what waits for him, saying what became of it.
        PageChecks.tabTo(d, "[data-testid=inbox-item][data-request-id='" + merge.id() + "'] [data-testid=approve-button]", 12);
        assertThat(PageChecks.focusRing(d)).as("the focused Approve button shows its focus").isNotNull();
        PageChecks.press(d, Keys.ENTER);
        browser.until(x -> x.findElements(By.cssSelector("[data-testid=inbox-item]")).isEmpty());
        browser.until(x -> x.findElement(By.cssSelector("[data-testid=inbox-sent]")).getText().contains("Sent approve " + merge.id() + " as bob"));
        assertThat(q.get("/api/requests/" + merge.id()).json().path("votes")).extracting(v -> v.path("voter").asText()).containsExactly("console:bob");
        assertThat(d.findElement(By.cssSelector("[data-testid=inbox-waiting-empty]")).getText()).isEqualTo("Nothing waits for your vote.");
        // The button went with its card; the keyboard goes on from what became of the vote, not from the page's top
        assertThat(((JavascriptExecutor) d).executeScript("return document.activeElement.dataset.testid")).isEqualTo("inbox-sent");

        // alice asked for it: it is hers, where it stands, and why she may not approve it, in the server's words.
        browser.actAs("alice");
        WebElement mine = browser.until(x -> {
            WebElement m = item(x, "inbox-mine-item", merge.id());
            return m.getText().contains("1 approval (bob)") ? m : null;
        });
        String why = q.get("/api/requests/" + merge.id(), Map.of("X-Quorum-User", "alice")).json().path("you").path("why").asText();
        assertThat(why).isEqualTo("You are an author of " + merge.id() + " (you asked for it, or for the work in it), so you cannot approve it: someone else must.");
        assertThat(mine.findElement(By.cssSelector("[data-testid=inbox-why]")).getText()).isEqualTo(why);
        assertThat(mine.findElement(By.cssSelector("[data-testid=inbox-tally]")).getText()).isEqualTo("1 approval (bob); still needs 1 more approval");
        assertThat(d.findElements(By.cssSelector("[data-testid=inbox-item]"))).isEmpty();

        // On her request's page, too, the buttons follow the server: no approving, the reason beside them.
        d.findElement(By.cssSelector("[data-testid=inbox-mine-item][data-request-id='" + merge.id() + "'] [data-testid=inbox-link]")).click();
        WebElement approve = browser.until(x -> x.findElement(By.cssSelector("[data-testid=vote-bar] [data-testid=approve-button]")));
        assertThat(approve.isEnabled()).isFalse();
        assertThat(d.findElement(By.cssSelector("[data-testid=vote-bar] [data-testid=reject-button]")).isEnabled()).isTrue();
        assertThat(d.findElement(By.cssSelector("[data-testid=vote-bar] [data-testid=vote-why]")).getText()).isEqualTo(why);

        // A phone: nothing wider than the page, the buttons and text in reach.
        d.navigate().back();
        browser.actAs("dave");
        d.manage().window().setSize(new Dimension(390, 844));
        browser.until(x -> item(x, "inbox-item", merge.id()));
        assertThat(d.findElements(By.cssSelector("[data-testid=vote-status]"))).as("bob's vote is not dave's news").isEmpty();
        assertThat(d.findElement(By.cssSelector("[data-testid=inbox-body]")).getText()).doesNotContain("null");
        assertThat(PageChecks.overflowing(d, "#view-inbox *")).as("what is wider than the inbox at 390 px").isEmpty();
        browser.screenshot(SHOTS, "inbox-390");
        assertThat(PageChecks.notDark(d, "#view-inbox")).as("in light mode, the dark check finds the page light").contains("body background rgb(245, 246, 248)");
        PageChecks.emulateDark(d);
        assertThat(((JavascriptExecutor) d).executeScript("return getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(18, 21, 26)");
        assertThat(PageChecks.notDark(d, "#view-inbox")).as("what is not dark on the inbox in dark mode").isEmpty();
        browser.screenshot(SHOTS, "inbox-390-dark");
    }


    private static WebElement item(WebDriver d, String kind, String id) {
        List<WebElement> found = d.findElements(By.cssSelector("[data-testid=" + kind + "][data-request-id='" + id + "']"));
        return found.isEmpty() ? null : found.getFirst();
    }


    private static IncomingMessage from(String user, String text) {
        return IncomingMessage.human(Identity.console(user), ConsoleAdapter.ROOM, text);
    }
}
