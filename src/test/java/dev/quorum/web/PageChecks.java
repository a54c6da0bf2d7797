package dev.quorum.web;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.util.List;

/** What every console page is checked for in the browser: controls a screen reader can name, nothing wider than a phone. */
final class PageChecks {
    private PageChecks() {
    }

    /** Buttons, links and fields under {@code scope} (a CSS selector) without a name a screen reader can say. */
    @SuppressWarnings("unchecked")
    static List<String> unnamedControls(WebDriver d, String scope) {
        return (List<String>) ((JavascriptExecutor) d).executeScript("""
                const scope = arguments[0];
                return Array.from(document.querySelectorAll(scope + ' button, ' + scope + ' a, ' + scope + ' input'))
                  .filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim()
                    || (e.id && document.querySelector('label[for="' + e.id + '"]'))))
                  .map((e) => e.outerHTML.slice(0, 120));""", scope);
    }

    /**
     * Elements matched by {@code selector} that end past the window's right edge, and whether the page scrolls sideways
     * (at most 10 lines). A table's cells are left out: a table scrolls in its own box ({@code .table-wrap}).
     */
    @SuppressWarnings("unchecked")
    static List<String> overflowing(WebDriver d, String selector) {
        return (List<String>) ((JavascriptExecutor) d).executeScript("""
                const width = document.documentElement.clientWidth;
                const out = [];
                if (document.documentElement.scrollWidth > width) out.push('the page scrolls sideways: ' + document.documentElement.scrollWidth);
                for (const e of document.querySelectorAll(arguments[0])) {
                  if (e.closest('.table-wrap') && !e.classList.contains('table-wrap')) continue;
                  const r = e.getBoundingClientRect();
                  if (r.width > 0 && r.right > width + 1) out.push(e.tagName + '#' + e.id + '.' + e.className + ' ends at ' + Math.round(r.right));
                }
                return out.slice(0, 10);""", selector);
    }
}
