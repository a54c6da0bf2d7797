package dev.quorum.web;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every console page is checked for in the browser: controls a screen reader can name, nothing wider than a
 * phone, no layout jumps, reachable by keyboard with the focus shown, and dark when the reader's system is.
 */
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

    /**
     * The layout shifts of the document so far, as Chromium's Layout Instability API reports them: the sum of every
     * shift's {@code value} not caused by recent input (Web Vitals' CLS without its session windows: one document is
     * several pages here, so a page's score is the difference of two readings, {@link Shifts#since}), and what moved.
     * The first reading starts an observer with {@code buffered: true}, so shifts since the document loaded count.
     */
    static Shifts layoutShifts(WebDriver d) {
        List<?> r = (List<?>) ((JavascriptExecutor) d).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                if (!window.__quorumShifts) {
                  const s = window.__quorumShifts = { score: 0, moved: [] };
                  const name = (n) => !n || !n.tagName ? String(n && n.nodeName)
                    : n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') + (n.dataset && n.dataset.testid ? '[' + n.dataset.testid + ']' : '')
                      + (typeof n.className === 'string' && n.className ? '.' + n.className.split(' ').join('.') : '');
                  const rect = (r) => Math.round(r.x) + ',' + Math.round(r.y) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height);
                  new PerformanceObserver((list) => {
                    for (const e of list.getEntries()) {
                      if (e.hadRecentInput) continue;
                      s.score += e.value;
                      s.moved.push(e.value.toFixed(4) + ' ' + (e.sources || []).map((x) => name(x.node) + ' ' + rect(x.previousRect) + ' → ' + rect(x.currentRect)).join(', '));
                    }
                  }).observe({ type: 'layout-shift', buffered: true });
                }
                // two frames and a task: the shifts of what was just drawn are reported by then
                requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(
                  () => done([window.__quorumShifts.score, window.__quorumShifts.moved.slice()]), 50)));""");
        List<String> moved = new ArrayList<>();
        for (Object m : (List<?>) r.get(1)) moved.add(String.valueOf(m));
        return new Shifts(((Number) r.get(0)).doubleValue(), moved);
    }

    /** Web Vitals' threshold of a "good" cumulative layout shift. */
    static final double GOOD_SHIFT = 0.1;

    /** Asserts the page shown since {@code before} (a reading of {@link #layoutShifts}) shifted less than {@link #GOOD_SHIFT}. */
    static void assertSteady(WebDriver d, Shifts before, String page) {
        Shifts shown = layoutShifts(d).since(before);
        assertThat(shown.score()).as("layout shift of %s (what moved: %s)", page, shown.moved()).isLessThan(GOOD_SHIFT);
    }

    /** Layout shifts: their sum and, per shift, its value and the elements that moved. */
    record Shifts(double score, List<String> moved) {
        /** Before the document loaded. */
        static final Shifts NONE = new Shifts(0, List.of());

        /** The shifts after {@code before}, a reading of the same document. */
        Shifts since(Shifts before) {
            return new Shifts(score - before.score, moved.subList(before.moved.size(), moved.size()));
        }
    }

    /**
     * Presses Tab, as a keyboard-only member does, until the focus is on an element matching {@code selector}; fails
     * after {@code most} presses. Returns the focused element's description at every stop on the way.
     */
    static List<String> tabTo(WebDriver d, String selector, int most) {
        List<String> stops = new ArrayList<>();
        for (int i = 0; i < most; i++) {
            new Actions(d).sendKeys(Keys.TAB).perform();
            String at = (String) ((JavascriptExecutor) d).executeScript("""
                    const e = document.activeElement;
                    return e.matches(arguments[0]) ? null : e.tagName + '#' + e.id + ' ' + (e.textContent || '').trim().slice(0, 30);""", selector);
            if (at == null) return stops;
            stops.add(at);
        }
        throw new AssertionError("Tab did not reach " + selector + " in " + most + " presses; it went " + stops);
    }

    /** Presses a key on whatever has the focus. */
    static void press(WebDriver d, CharSequence key) {
        new Actions(d).sendKeys(key).perform();
    }

    /**
     * How the focused element shows that it has the focus, when it matches {@code :focus-visible}: its outline or its
     * box-shadow as computed; null when it is not focus-visible or draws neither.
     */
    static String focusRing(WebDriver d) {
        return (String) ((JavascriptExecutor) d).executeScript("""
                const e = document.activeElement;
                if (!e || e === document.body || !e.matches(':focus-visible')) return null;
                const cs = getComputedStyle(e);
                if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) return 'outline ' + cs.outlineWidth + ' ' + cs.outlineStyle + ' ' + cs.outlineColor;
                if (cs.boxShadow && cs.boxShadow !== 'none') return 'box-shadow ' + cs.boxShadow;
                return null;""");
    }

    /** Has the page see the reader's system in dark mode (prefers-color-scheme: dark, as CDP emulates it). */
    static void emulateDark(WebDriver d) {
        ((ChromeDriver) d).executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        assertThat(((JavascriptExecutor) d).executeScript("return matchMedia('(prefers-color-scheme: dark)').matches")).isEqualTo(true);
    }

    /**
     * What is not dark under {@code scope} (a CSS selector) in dark mode: the body when its background is not dark or
     * its text not light, and every shown element under scope with text on a light background of its own (relative
     * luminance above 0.4; a chart legend's colour swatch has no text) or text as dark as the page (below 0.2). At
     * most 10 lines.
     */
    @SuppressWarnings("unchecked")
    static List<String> notDark(WebDriver d, String scope) {
        return (List<String>) ((JavascriptExecutor) d).executeScript("""
                const lum = (c) => {
                  const m = /rgba?\\(([\\d.]+), ([\\d.]+), ([\\d.]+)(?:, ([\\d.]+))?\\)/.exec(c);
                  if (!m || (m[4] !== undefined && Number(m[4]) < 0.5)) return null; // transparent: the parent's shows
                  const ch = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                  return 0.2126 * ch(+m[1]) + 0.7152 * ch(+m[2]) + 0.0722 * ch(+m[3]);
                };
                const out = [];
                const body = getComputedStyle(document.body);
                if (!(lum(body.backgroundColor) < 0.05)) out.push('body background ' + body.backgroundColor);
                if (!(lum(body.color) > 0.6)) out.push('body text ' + body.color);
                for (const e of document.querySelectorAll(arguments[0] + ', ' + arguments[0] + ' *')) {
                  if (!e.getClientRects().length) continue;
                  const cs = getComputedStyle(e);
                  const bg = lum(cs.backgroundColor), fg = lum(cs.color);
                  const what = e.tagName + '#' + e.id + '.' + (typeof e.className === 'string' ? e.className : '');
                  if (bg != null && bg > 0.4 && e.textContent.trim()) out.push(what + ' background ' + cs.backgroundColor);
                  else if (e.childNodes.length && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) && fg != null && fg < 0.2)
                    out.push(what + ' text ' + cs.color);
                }
                return out.slice(0, 10);""", scope);
    }
}
