package dev.quorum.agent.web;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Basic HTML to text: drops scripts, styles, comments and tags, keeps line breaks at block ends, decodes the common
 * entities. Not a parser; enough to let a model read documentation pages. Stateless.
 */
final class HtmlText {

    private static final Pattern INVISIBLE = Pattern.compile(
            "(?is)<(script|style|noscript|template|svg)\\b.*?</\\1\\s*>|<!--.*?-->|<head\\b.*?</head\\s*>");
    private static final Pattern BLOCK_END = Pattern.compile(
            "(?i)<br\\s*/?>|</(p|div|li|tr|h[1-6]|pre|section|article|blockquote|table|ul|ol|dd|dt)\\s*>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
    private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title\\s*>");
    private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(x[0-9a-fA-F]+|[0-9]+);");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\r]+");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n+");

    private HtmlText() {
    }

    static Optional<String> title(String html) {
        Matcher m = TITLE.matcher(html);
        return m.find() ? Optional.of(decode(TAG.matcher(m.group(1)).replaceAll("")).strip()).filter(t -> !t.isEmpty())
                : Optional.empty();
    }

    static String text(String html) {
        String text = INVISIBLE.matcher(html).replaceAll(" ");
        text = BLOCK_END.matcher(text).replaceAll("\n");
        text = TAG.matcher(text).replaceAll(" ");
        text = decode(text);
        text = SPACES.matcher(text).replaceAll(" ");
        text = text.lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("");
        return BLANK_LINES.matcher(text).replaceAll("\n\n").strip();
    }

    private static String decode(String text) {
        Matcher m = NUMERIC_ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String code = m.group(1);
            int cp;
            try {
                cp = code.startsWith("x") ? Integer.parseInt(code.substring(1), 16) : Integer.parseInt(code);
            } catch (NumberFormatException e) {
                cp = 0xFFFD;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(Character.isValidCodePoint(cp)
                    ? new String(Character.toChars(cp)) : "\uFFFD"));
        }
        m.appendTail(out);
        return out.toString()
                .replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }
}
