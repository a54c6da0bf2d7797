package dev.quorum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.request.HistorySeed;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The History page in Debian's headless Chromium against a running Quorum with a seeded history: filter it (type,
 * repository, approver, text, order), page through it with "Load more", export the CSV the page links, and check
 * both against GET /api/requests for the same filters. Screenshots at desktop width and 390 px in target/screenshots/.
 */
class HistoryPageTest extends ConsolePageCase {

    @BeforeEach
    void seed() throws Exception {
        HistorySeed.viaStore(q.quorum().redis(), q.quorum().requests().store(), 120);
    }

    @Test
    void iFilterTheHistoryPageThroughItAndExportExactlyItsRows() throws Exception {
        browser = ConsoleBrowser.open(q.url("/#/history?limit=4"), profile);
        WebDriver d = browser.driver();
        browser.actAs("carol");
        browser.until(x -> x.findElements(By.cssSelector("[data-testid=history-row]")).size() == 4
                && "ready".equals(x.findElement(By.cssSelector("[data-testid=history-totals]")).getDomAttribute("data-state")));
        PageChecks.assertSteady(d, PageChecks.Shifts.NONE, "the history page");

        new Select(d.findElement(By.cssSelector("[data-testid=filter-type]"))).selectByValue("merge");
        d.findElement(By.cssSelector("[data-testid=filter-repo]")).sendKeys("acme/web");
        new Select(d.findElement(By.cssSelector("[data-testid=filter-sort]"))).selectByValue("updated:asc");
        d.findElement(By.cssSelector("[data-testid=history-filters] button[type=submit]")).click();
        browser.until(x -> x.getCurrentUrl().endsWith("#/history?type=merge&repo=acme%2Fweb&sort=updated&order=asc&limit=4"));
        String filter = "type=merge&repo=acme%2Fweb&sort=updated&order=asc";
        List<String> api = apiIds(filter);
        assertThat(api).hasSizeGreaterThan(4); // more than one page, or "Load more" is not tried
        browser.until(x -> shown(x).equals(api.subList(0, 4)));
        while (!d.findElements(By.cssSelector("[data-testid=load-more]:not([hidden])")).isEmpty()) {
            int before = shown(d).size();
            d.findElement(By.cssSelector("[data-testid=load-more]")).click();
            browser.until(x -> shown(x).size() > before || x.findElements(By.cssSelector("[data-testid=load-more]:not([hidden])")).isEmpty());
        }
        assertThat(shown(d)).containsExactlyElementsOf(api);

        // The export link carries the same filters; what the browser gets from it is the API's rows, all pages.
        WebElement export = d.findElement(By.cssSelector("[data-testid=history-csv]"));
        assertThat(export.getDomAttribute("href")).isEqualTo("/api/requests.csv?" + filter);
        assertThat(csvIds(d, export.getDomAttribute("href"))).containsExactlyElementsOf(api);
        browser.screenshot(SHOTS, "history-desktop");

        // A text filter and an approver, typed by hand: the rows, and the export's, are the API's
        d.findElement(By.cssSelector("[data-testid=filter-repo]")).clear();
        d.findElement(By.cssSelector("[data-testid=filter-q]")).sendKeys("flaky");
        d.findElement(By.cssSelector("[data-testid=filter-approver]")).sendKeys("carol");
        new Select(d.findElement(By.cssSelector("[data-testid=filter-sort]"))).selectByValue("created:desc");
        // …and sent with the keyboard: Enter in a field submits the filters
        d.findElement(By.cssSelector("[data-testid=filter-approver]")).sendKeys(Keys.ENTER);
        String second = "type=merge&approver=carol&q=flaky";
        browser.until(x -> x.getCurrentUrl().endsWith("#/history?" + second + "&limit=4"));
        List<String> want = apiIds(second);
        assertThat(want).isNotEmpty();
        browser.until(x -> shown(x).equals(want.subList(0, Math.min(4, want.size()))));
        assertThat(csvIds(d, d.findElement(By.cssSelector("[data-testid=history-csv]")).getDomAttribute("href"))).containsExactlyElementsOf(want);

        // A row's request page with the keyboard only: Tab on from the filters to the first row's link, its focus
        // shown, Enter; the focus lands on the request's heading. Back returns to the same rows.
        PageChecks.tabTo(d, "[data-testid=history-row] [data-testid=history-link]", 20);
        assertThat(PageChecks.focusRing(d)).as("a focused row link shows its focus").isNotNull();
        assertThat(((JavascriptExecutor) d).executeScript("return document.activeElement.textContent")).isEqualTo(want.getFirst());
        PageChecks.press(d, Keys.ENTER);
        browser.until(x -> x.getCurrentUrl().endsWith("#/requests/" + want.getFirst())
                && "request-title".equals(((JavascriptExecutor) x).executeScript("return document.activeElement.id")));
        d.navigate().back();
        browser.until(x -> shown(x).equals(want.subList(0, Math.min(4, want.size()))));

        d.manage().window().setSize(new Dimension(390, 844));
        browser.until(x -> x.findElement(By.cssSelector("[data-testid=filter-q]")).isDisplayed());
        assertThat(PageChecks.overflowing(d, "#view-history .filters *, #view-history .more *")).as("what is wider than the history at 390 px").isEmpty();
        browser.screenshot(SHOTS, "history-390");
        PageChecks.emulateDark(d);
        assertThat(PageChecks.notDark(d, "#view-history")).as("what is not dark on the history page in dark mode").isEmpty();
        browser.screenshot(SHOTS, "history-390-dark");
    }

    private List<String> apiIds(String filter) throws Exception {
        List<String> out = new ArrayList<>();
        String next = null;
        do {
            JsonNode body = q.get("/api/requests?" + filter + "&limit=200" + (next == null ? "" : "&cursor=" + next)).json();
            body.path("requests").forEach(r -> out.add(r.path("id").asText()));
            next = body.path("next").isNull() ? null : body.path("next").asText();
        } while (next != null);
        return out;
    }

    /** The export as the browser downloads it, with its session, parsed: the ids of its rows. */
    private static List<String> csvIds(WebDriver d, String href) {
        // as JSON: the WebDriver wire would turn the CSV's CRLFs into LFs
        String json = (String) ((JavascriptExecutor) d).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(t => done(JSON.stringify(t)));", href);
        String text;
        try {
            text = Json.MAPPER.readValue(json, String.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(text).as("the export").startsWith(String.join(",", HistoryCsv.COLUMNS) + "\r\n");
        List<List<String>> rows = CsvRows.parse(text);
        assertThat(rows.getFirst()).containsExactlyElementsOf(HistoryCsv.COLUMNS);
        return rows.subList(1, rows.size()).stream().map(List::getFirst).toList();
    }

    private static List<String> shown(WebDriver d) {
        return d.findElements(By.cssSelector("[data-testid=history-row]")).stream().map(r -> r.getDomAttribute("data-request-id")).toList();
    }

}
