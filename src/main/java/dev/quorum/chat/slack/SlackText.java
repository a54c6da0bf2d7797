package dev.quorum.chat.slack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack's message markup, both ways: what a member typed becomes plain command text, and what
 * Quorum says is escaped so that Slack shows it as written. Pure functions.
 */
final class SlackText {
    /** {@code <@U123>}, {@code <@U123|name>}, {@code <#C1|general>}, {@code <!here>}, {@code <https://x|label>}. */
    private static final Pattern ANGLED = Pattern.compile("<([@#!]?)([^<>|]*)(?:\\|([^<>]*))?>");

    /** Any member's mention at the very start: Quorum's own, while Quorum does not know its user id yet. */
    private static final Pattern LEADING_MENTION = Pattern.compile("^\\s*<@[A-Za-z0-9]+(?:\\|[^<>]*)?>");

    private SlackText() {}

    /**
     * The command a message holds: the text after Quorum's own mention (text before it is talk, as
     * in "thanks, @quorum status R7"), with Slack's markup turned back into what the member typed:
     * {@code <@U123>} becomes {@code @U123} (which {@code history @U123} reads as {@code slack:U123}),
     * links their address, and {@code &amp; &lt; &gt;} the characters.
     *
     * @param botUserId Quorum's user id, or {@code null} when not known yet: then only a leading
     *                  mention is dropped
     */
    static String toCommand(String raw, String botUserId) {
        String text = raw == null ? "" : raw;
        if (botUserId == null) {
            text = LEADING_MENTION.matcher(text).replaceFirst("");
        } else {
            String mention = "<@" + botUserId;
            int at = text.indexOf(mention);
            if (at >= 0) {
                int end = text.indexOf('>', at);
                text = end < 0 ? "" : text.substring(end + 1);
            }
        }
        return plain(text).strip();
    }

    /** Slack markup to plain text; see {@link #toCommand}. */
    static String plain(String markup) {
        Matcher m = ANGLED.matcher(markup);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String sigil = m.group(1);
            String target = m.group(2);
            String label = m.group(3);
            String replacement = switch (sigil) {
                case "@" -> "@" + target;
                case "#" -> "#" + (label != null && !label.isEmpty() ? label : target);
                case "!" -> "@" + (label != null && !label.isEmpty() ? label.replaceFirst("^@", "") : target);
                default -> target.startsWith("mailto:") && label != null ? label : target;
            };
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return unescape(out.toString());
    }

    /** True when the text mentions the given user anywhere. */
    static boolean mentions(String markup, String userId) {
        return markup != null && userId != null && markup.contains("<@" + userId);
    }

    /** The three characters Slack's markup reserves, escaped (Slack: "Escaping text"). */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
