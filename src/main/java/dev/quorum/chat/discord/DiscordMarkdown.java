package dev.quorum.chat.discord;

/**
 * Quorum's plain text as Discord markdown: characters Discord would read as formatting or markup
 * ({@code * _ ~ | \}, and {@code <} that starts a mention, channel or emoji) are escaped, except
 * inside {@code `code`} spans and {@code ```} blocks, where Discord shows them as they are. So a
 * branch called {@code fix_a_b} stays readable, and text quoted from a member cannot dress itself
 * as a mention of someone. Pings are stopped elsewhere (every message says {@code allowed_mentions}). Pure.
 */
final class DiscordMarkdown {
    private static final String SPECIAL = "*_~|\\<";

    private DiscordMarkdown() {}

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        int ticks = 0; // the length of the backtick run that opened the code we are in; 0 outside code
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '`') {
                int run = 0;
                while (i + run < text.length() && text.charAt(i + run) == '`') run++;
                if (ticks == 0) ticks = run;
                else if (run == ticks) ticks = 0;
                out.append(text, i, i + run);
                i += run;
                continue;
            }
            if (ticks == 0 && SPECIAL.indexOf(c) >= 0) out.append('\\');
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
