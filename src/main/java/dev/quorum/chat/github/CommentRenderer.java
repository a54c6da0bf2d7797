package dev.quorum.chat.github;

import dev.quorum.conversation.Reply;
import dev.quorum.conversation.ReplyFitter;

import java.util.ArrayList;
import java.util.List;

/**
 * The neutral {@link Reply} as one pull request comment (GitHub Markdown, at most
 * {@link #MAX_BODY} characters): the tone as an emoji, the text, each field as a
 * {@code **label**: value} line, the buttons as the commands to comment ({@code /quorum approve R7}:
 * GitHub has no buttons), the notes of what did not fit, and the console link. Everything but
 * Quorum's own markup goes through {@link GitHubMarkdown}, and the markup is only bold, inline code
 * and one link, so nothing echoed can mention, reference or link. Pure and thread-safe.
 */
final class CommentRenderer {
    /** GitHub refuses a comment body longer than this. */
    static final int MAX_BODY = 65_536;
    /**
     * Shares of {@link #MAX_BODY} that cannot add up past it however much escaping grows them: the
     * text and fields are measured escaped; a button's label (at most 40) and command (at most 100)
     * are measured raw, and escaping grows one character to at most 9 ({@code \#&#8203;}).
     */
    static final ReplyFitter.Limits LIMITS = new ReplyFitter.Limits(32_000, 1, 15, 1_000, 40, 8, 1, 100);
    private static final String COMMAND_PREFIX = "/quorum ";

    private CommentRenderer() {}

    /** @param addressTo the GitHub login the comment is addressed to (mentioned first), or null */
    static String render(Reply reply, String addressTo) {
        ReplyFitter.Fitted fitted = ReplyFitter.fit(withTonePrefix(reply), LIMITS, GitHubMarkdown::escape);
        StringBuilder body = new StringBuilder();
        if (addressTo != null) body.append('@').append(addressTo).append(' ');
        fitted.textParts().forEach(body::append);
        List<String> blocks = new ArrayList<>();
        if (!fitted.fields().isEmpty()) {
            blocks.add(String.join("\n", fitted.fields().stream().map(f -> "**" + f.label() + "**: " + f.value()).toList()));
        }
        List<String> commands = fitted.buttonRows().stream().flatMap(List::stream)
                .map(b -> GitHubMarkdown.escape(b.label()) + ": " + GitHubMarkdown.escape("`" + COMMAND_PREFIX + b.command() + "`"))
                .toList();
        if (!commands.isEmpty()) blocks.add("Comment " + String.join(" · ", commands));
        String notes = fitted.notesLine(fitted.link() != null);
        if (!notes.isEmpty()) blocks.add("_" + GitHubMarkdown.escape(notes) + "_");
        if (fitted.link() != null) blocks.add(link(fitted.link()));
        for (String block : blocks) body.append("\n\n").append(block);
        return body.toString();
    }

    /**
     * An emoji for the tone, as Discord shows it. Text that starts with a code block gets it on a
     * line of its own, so that the fence starts a line (the escape reads a first line as inline text).
     */
    private static Reply withTonePrefix(Reply r) {
        String prefix = switch (r.tone()) {
            case INFO -> "";
            case SUCCESS -> "✅ ";
            case WARNING -> "⚠️ ";
            case ERROR -> "❌ ";
        };
        String text = GitHubMarkdown.startsWithFence(r.text()) ? prefix.strip() + "\n" + r.text() : prefix + r.text();
        return new Reply(text, r.tone(), r.fields(), r.buttons(), r.link(), r.requestId());
    }

    /** The console link; its address is Quorum's own ({@code http.public_url}), kept to what a Markdown link can hold. */
    private static String link(Reply.Link l) {
        String url = l.url().replaceAll("[\\s<>()\\p{Cntrl}]", "");
        if (!url.startsWith("https://") && !url.startsWith("http://")) return GitHubMarkdown.escape(l.label());
        return "[" + GitHubMarkdown.escape(l.label()) + "](" + url + ")";
    }
}
