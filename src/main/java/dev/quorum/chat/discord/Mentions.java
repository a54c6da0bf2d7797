package dev.quorum.chat.discord;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Discord's mention markup, as the adapter's own job (the core sees text without it). A message is
 * addressed to Quorum when it starts with Quorum's own user mention, {@code <@id>} or the older
 * nickname form {@code <@!id>}; someone else's mention in that place addresses them, not Quorum, and
 * a typed "@Quorum" is plain text (Discord sends real mentions as markup). Pure.
 */
final class Mentions {
    private static final Pattern LEADING_USER = Pattern.compile("^\\s*<@!?(\\d{1,20})>\\s*");

    private Mentions() {}

    /** The text after Quorum's mention at the start, or empty when the message does not start with it. */
    static Optional<String> afterSelf(String content, String selfId) {
        if (content == null || selfId == null) return Optional.empty();
        Matcher m = LEADING_USER.matcher(content);
        if (!m.find() || !m.group(1).equals(selfId)) return Optional.empty();
        return Optional.of(content.substring(m.end()).strip());
    }

    /** {@code <@id>}: how a reply addresses a member. */
    static String of(String userId) {
        return "<@" + userId + ">";
    }
}
