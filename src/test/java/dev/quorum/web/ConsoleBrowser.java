package dev.quorum.web;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * One member's browser on the console page (Debian's headless Chromium through its chromedriver),
 * with the moves the tour needs: switch demo user, type a command, click a card's button, and
 * wait for a reply of Quorum that is new or changed since a moment.
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("quorum.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("quorum.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Every reply of Quorum on the page: its message id (cards keep theirs when edited) and its visible text. */
    private static final String BOT_MESSAGES = """
            return Array.from(document.querySelectorAll('[data-testid=msg-bot]'),
                (li, i) => [li.dataset.messageId || ('#' + i), li.innerText]);""";

    private final WebDriver driver;

    private ConsoleBrowser(WebDriver driver) {
        this.driver = driver;
    }

    static ConsoleBrowser open(String url, Path profile) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ConsoleBrowser browser = new ConsoleBrowser(new ChromeDriver(service, options));
        browser.driver.get(url);
        return browser;
    }

    /** Switches the page's demo user (a login) and waits until its event stream is live for them. */
    void actAs(String user) {
        WebElement select = until(d -> {
            WebElement s = d.findElement(By.cssSelector("[data-testid=user-select]"));
            return s.isDisplayed() && !s.findElements(By.tagName("option")).isEmpty() ? s : null;
        }, WAIT);
        new Select(select).selectByValue(user);
        until(d -> {
            WebElement conn = d.findElement(By.cssSelector("[data-testid=conn-status]"));
            return "live".equals(conn.getAttribute("data-state")) && user.equals(conn.getAttribute("data-user"));
        }, WAIT);
    }

    /** Types a command and presses Enter, then waits until the page has Quorum's answer to the post. */
    void type(String command) {
        WebElement button = driver.findElement(By.cssSelector("[data-testid=send-button]"));
        WebElement input = driver.findElement(By.cssSelector("[data-testid=message-input]"));
        until(d -> button.isEnabled(), WAIT);
        input.sendKeys(command, Keys.ENTER);
        until(d -> button.isEnabled() && input.getDomProperty("value").isEmpty(), WAIT);
    }

    /** Clicks the button labelled {@code label} on the card of {@code requestId} (the newest such card). */
    void click(String requestId, String label) {
        // Found and clicked in one try: the page may re-render the card in between (a user switch
        // rebuilds the room), and a stale button is looked up again rather than failing the click.
        WebElement button = until(d -> {
            WebElement b = d.findElements(By.cssSelector("[data-testid=msg-bot][data-request-id='" + requestId + "'] [data-testid=card-button]"))
                    .stream().filter(e -> e.getText().equals(label) && e.isEnabled()).reduce((first, second) -> second).orElse(null);
            if (b != null) b.click();
            return b;
        }, WAIT);
        // The page disables the button until Quorum answered the post (or re-renders the card).
        until(d -> {
            try {
                return button.isEnabled();
            } catch (StaleElementReferenceException e) {
                return true;
            }
        }, WAIT);
    }

    /** Quorum's replies on the page now, by message id, their text with whitespace collapsed. */
    Map<String, String> botMessages() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object row : (List<?>) ((JavascriptExecutor) driver).executeScript(BOT_MESSAGES)) {
            List<?> pair = (List<?>) row;
            out.put(String.valueOf(pair.get(0)), collapse(String.valueOf(pair.get(1))));
        }
        return out;
    }

    /**
     * Waits until a reply that is not in {@code before}, or whose text changed since, contains
     * {@code quote}; returns that reply's text.
     */
    String awaitReply(String quote, Map<String, String> before, Duration timeout) {
        String wanted = collapse(quote);
        try {
            return until(d -> botMessages().entrySet().stream()
                    .filter(m -> !m.getValue().equals(before.get(m.getKey())) && m.getValue().contains(wanted))
                    .map(Map.Entry::getValue).findFirst().orElse(null), timeout);
        } catch (TimeoutException e) {
            List<String> recent = botMessages().values().stream()
                    .map(t -> t.length() > 300 ? t.substring(0, 300) + " …" : t).toList();
            throw new AssertionError("no new reply of Quorum says “" + quote + "” within " + timeout.toSeconds() + " s; the last replies:\n  "
                    + String.join("\n  ", recent.subList(Math.max(0, recent.size() - 6), recent.size())), e);
        }
    }

    /** Errors the page's scripts logged (failed HTTP requests, such as refused commands, are expected). */
    List<String> scriptErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
    }

    /** A PNG of the page into {@code dir} (when set), to look at what a step showed. */
    void screenshot(String dir, String name) throws IOException {
        if (dir == null || dir.isBlank()) return;
        Files.createDirectories(Path.of(dir));
        Path png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, Path.of(dir, name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The browser itself, for what a test checks beyond these moves. */
    WebDriver driver() {
        return driver;
    }

    /** Waits up to 10 s until {@code condition} is neither null nor false, looking again when the page re-rendered under it. */
    <T> T until(Function<WebDriver, T> condition) {
        return until(condition, WAIT);
    }

    private <T> T until(Function<WebDriver, T> condition, Duration timeout) {
        return new WebDriverWait(driver, timeout, POLL).ignoring(StaleElementReferenceException.class).until(condition::apply);
    }

    private static String collapse(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
