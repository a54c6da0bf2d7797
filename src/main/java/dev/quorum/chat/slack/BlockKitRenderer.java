package dev.quorum.chat.slack;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Reply;
import dev.quorum.conversation.ReplyFitter;

import java.util.ArrayList;
import java.util.List;

/**
 * The neutral {@link Reply}, fitted to Slack's limits by {@link ReplyFitter}, as Block Kit: the
 * text in sections, the fields in two-column sections, the buttons in one actions block, and a
 * context line with what was left out and the link to the console. Pure and thread-safe.
 *
 * <p>A button's {@code value} is the command a click sends; its {@code action_id} starts with
 * {@link #ACTION_PREFIX} (and repeats the command, for logs).
 */
final class BlockKitRenderer {
    /** Slack's limits (Block Kit reference). */
    static final int SECTION_TEXT_LIMIT = 3000;
    static final int FIELDS_PER_SECTION = 10;
    static final int FIELD_TEXT_LIMIT = 2000;
    static final int BUTTON_LABEL_LIMIT = 75;
    static final int BUTTON_VALUE_LIMIT = 2000;
    static final int ACTION_ID_LIMIT = 255;
    static final int BUTTONS_PER_BLOCK = 25;

    /** Quorum's own budget, well inside Slack's: a chat message longer than this belongs in the console. */
    static final int TEXT_SECTIONS = 4;
    static final int FIELD_SECTIONS = 2;
    /** Notification text: enough to know what it is about. */
    static final int FALLBACK_LIMIT = 300;
    /** What a field's markup ({@code *label*\n}) adds to its label and value. */
    private static final int FIELD_MARKUP = 3;

    static final String ACTION_PREFIX = "quorum:";
    /** What one Slack message holds, for {@link ReplyFitter}. */
    static final ReplyFitter.Limits LIMITS = new ReplyFitter.Limits(SECTION_TEXT_LIMIT, TEXT_SECTIONS,
            FIELDS_PER_SECTION * FIELD_SECTIONS, FIELD_TEXT_LIMIT - FIELD_MARKUP, BUTTON_LABEL_LIMIT, BUTTONS_PER_BLOCK, 1,
            BUTTON_VALUE_LIMIT);

    private final Links links;

    BlockKitRenderer(Links links) {
        this.links = links;
    }

    SlackMessage render(Reply reply) {
        // The tone's emoji needs no escaping, so it may go before the text the fitter escapes and cuts.
        Reply toned = new Reply(tonePrefix(reply.tone()) + reply.text(), reply.tone(), reply.fields(), reply.buttons(),
                reply.link(), reply.requestId());
        ReplyFitter.Fitted fitted = ReplyFitter.fit(toned, LIMITS, SlackText::escape);
        List<LayoutBlock> blocks = new ArrayList<>();

        fitted.textParts().stream().filter(part -> !part.isBlank()).forEach(part -> blocks.add(section(part)));

        List<Reply.Field> fields = fitted.fields();
        for (int from = 0; from < fields.size(); from += FIELDS_PER_SECTION) {
            List<TextObject> cells = new ArrayList<>();
            for (Reply.Field f : fields.subList(from, Math.min(fields.size(), from + FIELDS_PER_SECTION))) {
                cells.add(markdown("*" + f.label() + "*\n" + f.value()));
            }
            blocks.add(SectionBlock.builder().fields(cells).build());
        }

        for (List<Reply.Button> row : fitted.buttonRows()) {
            List<BlockElement> buttons = new ArrayList<>();
            for (Reply.Button b : row) buttons.add(button(b, buttons.size()));
            blocks.add(ActionsBlock.builder().elements(buttons).build());
        }

        Reply.Link link = fitted.link() != null ? fitted.link()
                : reply.requestId() != null ? links.requestLink(reply.requestId()) : null;
        List<ContextBlockElement> context = new ArrayList<>();
        String notes = fitted.notesLine(link != null);
        if (!notes.isEmpty()) context.add(markdown(notes));
        if (link != null) context.add(markdown("<" + link.url() + "|" + SlackText.escape(link.label()).replace("|", "¦") + ">"));
        if (!context.isEmpty()) blocks.add(ContextBlock.builder().elements(context).build());
        if (blocks.isEmpty()) blocks.add(section("…")); // Slack refuses a message with nothing in it

        return new SlackMessage(fallback(reply), blocks);
    }

    private static String tonePrefix(Reply.Tone tone) {
        return switch (tone) {
            case INFO -> "";
            case SUCCESS -> ":white_check_mark: ";
            case WARNING -> ":warning: ";
            case ERROR -> ":x: ";
        };
    }

    private static SectionBlock section(String mrkdwn) {
        return SectionBlock.builder().text(markdown(mrkdwn)).build();
    }

    private static MarkdownTextObject markdown(String text) {
        return MarkdownTextObject.builder().text(text).build();
    }

    private static ButtonElement button(Reply.Button b, int index) {
        ButtonElement.ButtonElementBuilder e = ButtonElement.builder()
                .text(PlainTextObject.builder().text(b.label()).emoji(true).build())
                .actionId(ReplyFitter.shorten(ACTION_PREFIX + index + ":" + b.command(), ACTION_ID_LIMIT))
                .value(b.command());
        return switch (b.style()) {
            case DEFAULT -> e.build();
            case PRIMARY -> e.style("primary").build();
            case DANGER -> e.style("danger").build();
        };
    }

    private static String fallback(Reply reply) {
        return reply.text().isBlank() ? "…" : ReplyFitter.shorten(SlackText.escape(reply.text()), FALLBACK_LIMIT);
    }
}
