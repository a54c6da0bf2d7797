package dev.quorum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.insights.SeededHistory;
import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.Keys;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Insights page in Debian's headless Chromium against a running Quorum with a seeded history: every chart is
 * drawn (its canvas has pixels), the table beside each holds the API's numbers, and a code run that said "All tests
 * pass." on a commit Quorum's run failed shows as the claim-vs-evidence rate. Screenshots: desktop, 390 px, dark.
 */
class InsightsPageTest extends ConsolePageCase {
    private static final List<String> FIGURES = List.of("requests", "lead-time", "approval-wait", "approvals", "deploys",
            "change-failure", "cost", "cost-person", "budget", "outcomes", "claims");

    private Redis redis;

    @Override
    QuorumHarness startQuorum() throws Exception {
        return QuorumHarness.start(data, SeededHistory.quorumConfig(), Map.of(), Clock.systemUTC());
    }

    @BeforeEach
    void connect() {
        redis = Redis.connect(TestRedis.uri());
    }

    @AfterEach
    void disconnect() {
        if (redis != null) redis.close();
    }

    @Test
    void everyChartIsDrawnWithTheApisNumbersBesideIt() throws Exception {
        SeededHistory.seed(redis, 250, 17);
        var day = SeededHistory.FIRST_DAY.plusDays(20);
        String claimed = SeededHistory.codeRun(redis, day.atTime(10, 0).toInstant(ZoneOffset.UTC), "console:carol", SeededHistory.GREEN_CLAIM, false);
        String range = "since=" + SeededHistory.FIRST_DAY + "&until=" + SeededHistory.FIRST_DAY.plusDays(SeededHistory.DAYS - 1);
        JsonNode api = q.get("/api/insights?" + range, Map.of("X-Quorum-User", "alice")).json();

        browser = ConsoleBrowser.open(q.url("/#/insights?" + range), profile);
        WebDriver d = browser.driver();
        browser.actAs("alice");
        browser.until(x -> x.findElements(By.cssSelector("[data-testid=insights] figure")).size() == FIGURES.size());
        assertThat(d.findElement(By.cssSelector("[data-testid=nav-insights]")).getDomAttribute("aria-current")).isEqualTo("page");
        for (String f : FIGURES) {
            assertThat(drawnPixels(d, f)).as("pixels drawn in the chart of " + f).isGreaterThan(200);
        }
        assertThat(cells(d, "requests")).isEqualTo(rows(api.get("requests_per_day"), "day", "type", "state", "count"));
        assertThat(texts(d, "requests").getFirst().get(2)).isEqualTo(api.get("requests_per_day").get(0).get("state").asText().replace('_', ' '));
        List<List<String>> lead = new ArrayList<>();
        api.get("lead_time_ms").properties().forEach(e -> lead.add(List.of(e.getKey(), value(e.getValue().get("p50")),
                value(e.getValue().get("p90")), value(e.getValue().get("count")))));
        assertThat(cells(d, "lead-time")).isEqualTo(lead);
        List<List<String>> waits = rows(api.get("approval_wait_by_policy"), "policy", "p50", "p90", "count");
        waits.add(List.of("all", value(api.at("/approval_wait_ms/p50")), value(api.at("/approval_wait_ms/p90")), value(api.at("/approval_wait_ms/count"))));
        assertThat(cells(d, "approval-wait")).isEqualTo(waits);
        assertThat(cells(d, "approvals")).isEqualTo(rows(api.get("approvals_by_person"), "person", "count"));
        assertThat(cells(d, "deploys")).isEqualTo(rows(api.get("deploys_per_day"), "day", "environment", "count"));
        List<List<String>> failure = rows(api.get("deploy_frequency"), "environment", "deploys", "per_day", "incidents", "change_failure_rate");
        failure.add(List.of("all", value(api.at("/change_failure/deploys")), "", value(api.at("/change_failure/incidents")), value(api.at("/change_failure/rate"))));
        assertThat(cells(d, "change-failure")).isEqualTo(failure);
        assertThat(cells(d, "cost")).isEqualTo(rows(api.get("cost_usd_per_day"), "day", "usd"));
        assertThat(cells(d, "cost-person")).isEqualTo(rows(api.get("cost_usd_by_person"), "person", "usd"));
        assertThat(cells(d, "cost-person")).hasSizeGreaterThan(1); // alice manages: everyone's
        assertThat(cells(d, "budget")).isEqualTo(rows(api.get("budget_stops"), "limit", "count"));
        List<List<String>> outcomes = new ArrayList<>();
        for (String k : List.of("veto", "expiry", "stale")) {
            outcomes.add(List.of(k, value(api.at("/outcome_rates/" + k + "/count")), value(api.at("/outcome_rates/" + k + "/rate"))));
        }
        assertThat(cells(d, "outcomes")).isEqualTo(outcomes);
        JsonNode cve = api.get("claim_vs_evidence");
        assertThat(cells(d, "claims")).containsExactly(List.of(value(cve.get("runs")), value(cve.get("claimed_pass")),
                value(cve.get("claimed_pass_but_failed")), value(cve.get("rate"))));
        assertThat(PageChecks.unnamedControls(d, "#view-insights")).as("controls a screen reader cannot name").isEmpty();
        PageChecks.assertSteady(d, PageChecks.Shifts.NONE, "the insights page");
        browser.screenshot(SHOTS, "insights-desktop");

        // The day of the run that said "All tests pass." while Quorum's run of its final commit failed
        d.findElement(By.cssSelector("[data-testid=insights-since]")).clear();
        ((JavascriptExecutor) d).executeScript("document.getElementById('i-since').value = arguments[0]; document.getElementById('i-until').value = arguments[0];",
                day.toString());
        d.findElement(By.cssSelector("[data-testid=insights-until]")).sendKeys(Keys.ENTER); // the keyboard's way to Show
        browser.until(x -> x.getCurrentUrl().endsWith("since=" + day + "&until=" + day)
                && texts(x, "claims").equals(List.of(List.of("1", "1", "1", "100.0 %"))));
        assertThat(q.get("/api/insights?since=" + day + "&until=" + day, Map.of("X-Quorum-User", "alice")).json().get("claim_vs_evidence").toString())
                .isEqualTo("{\"runs\":1,\"claimed_pass\":1,\"claimed_pass_but_failed\":1,\"rate\":1.0}");
        assertThat(redis.sync().hget("{q}:req:" + claimed, "state")).isEqualTo("failed");
        assertThat(drawnPixels(d, "claims")).isGreaterThan(200);

        // A phone, then dark: nothing wider than the page, every chart still drawn
        d.navigate().back();
        d.manage().window().setSize(new Dimension(390, 844));
        browser.until(x -> texts(x, "cost").size() == SeededHistory.DAYS);
        browser.until(x -> PageChecks.overflowing(x, "#view-insights *").isEmpty());
        for (String f : FIGURES) assertThat(drawnPixels(d, f)).as(f + " at 390 px").isGreaterThan(200);
        browser.screenshot(SHOTS, "insights-390");
        // The charts are drawn in the page's colours: their grid lines in light mode's border colour, then, once the
        // system turns dark, redrawn in dark mode's (insights.js listens to the media query)
        for (String f : FIGURES) assertThat(gridPixels(d, f)).as("light grid lines of " + f).isEqualTo(List.of(true, false));
        PageChecks.emulateDark(d);
        assertThat(((JavascriptExecutor) d).executeScript("return getComputedStyle(document.querySelector('.insight')).backgroundColor"))
                .isEqualTo("rgb(26, 30, 37)");
        assertThat(PageChecks.notDark(d, "#view-insights")).as("what is not dark on the insights page in dark mode").isEmpty();
        browser.until(x -> FIGURES.stream().allMatch(f -> gridPixels(x, f).equals(List.of(false, true))));
        browser.screenshot(SHOTS, "insights-390-dark");
    }

    /** How many pixels the chart's canvas has drawn (not transparent). */
    private static long drawnPixels(WebDriver d, String figure) {
        Object n = ((JavascriptExecutor) d).executeScript("""
                const c = document.querySelector('[data-testid=chart-' + arguments[0] + '] canvas');
                if (!c || !c.width) return 0;
                const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
                return n;""", figure);
        return ((Number) n).longValue();
    }

    /**
     * Whether the chart's canvas has grid lines (opaque pixels exactly) in light mode's border colour and in dark
     * mode's (style.css's --border: #dde1e7 and #2e343f).
     */
    @SuppressWarnings("unchecked")
    private static List<Boolean> gridPixels(WebDriver d, String figure) {
        return (List<Boolean>) ((JavascriptExecutor) d).executeScript("""
                const c = document.querySelector('[data-testid=chart-' + arguments[0] + '] canvas');
                const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let light = 0, dark = 0;
                for (let i = 0; i < px.length; i += 4) {
                  if (px[i + 3] !== 255) continue;
                  if (px[i] === 0xdd && px[i + 1] === 0xe1 && px[i + 2] === 0xe7) light++;
                  if (px[i] === 0x2e && px[i + 1] === 0x34 && px[i + 2] === 0x3f) dark++;
                }
                return [light > 50, dark > 50];""", figure);
    }

    /** The table's cells as their exact values (data-value). */
    @SuppressWarnings("unchecked")
    private static List<List<String>> cells(WebDriver d, String figure) {
        return (List<List<String>>) ((JavascriptExecutor) d).executeScript("""
                return Array.from(document.querySelectorAll('[data-testid=table-' + arguments[0] + '] tbody tr'),
                  (tr) => Array.from(tr.querySelectorAll('td[data-value]'), (td) => td.dataset.value)).filter((r) => r.length);""", figure);
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> texts(WebDriver d, String figure) {
        return (List<List<String>>) ((JavascriptExecutor) d).executeScript("""
                return Array.from(document.querySelectorAll('[data-testid=table-' + arguments[0] + '] tbody tr'),
                  (tr) => Array.from(tr.querySelectorAll('td[data-value]'), (td) => td.textContent)).filter((r) => r.length);""", figure);
    }

    private static List<List<String>> rows(JsonNode array, String... fields) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode row : array) {
            List<String> r = new ArrayList<>();
            for (String f : fields) r.add(value(row.get(f)));
            out.add(r);
        }
        return out;
    }

    /** A JSON value as the page's data-value holds it: JavaScript's String() of the number, "" for null. */
    private static String value(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "";
        if (v.isTextual()) return v.asText();
        if (v.isIntegralNumber()) return v.asText();
        double x = v.asDouble();
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? String.valueOf((long) x) : String.valueOf(x);
    }


}
