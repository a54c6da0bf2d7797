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
 * The neutral {@link Reply} as Block Kit: the text in sections, the fields in two-column
 * sections, the buttons in one actions block, and a context line with the link to the console.
 * Whatever does not fit Slack's limits is cut, and the context line then says where the whole
 * record is. Pure and thread-safe.
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

    static final String ACTION_PREFIX = "quorum:";
    /** What one Slack message holds, for {@link dev.quorum.conversation.ReplyFitter}. */
    static final ReplyFitter.Limits LIMITS = new ReplyFitter.Limits(SECTION_TEXT_LIMIT, TEXT_SECTIONS,
            FIELDS_PER_SECTION * FIELD_SECTIONS, FIELD_TEXT_LIMIT, BUTTON_LABEL_LIMIT, BUTTONS_PER_BLOCK, 1, BUTTON_VALUE_LIMIT);

    private final Links links;

    BlockKitRenderer(Links links) {
        this.links = links;
    }

    SlackMessage render(Reply reply) {
        List<LayoutBlock> blocks = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        TextSplitter.Split text = TextSplitter.split(tonePrefix(reply.tone()) + SlackText.escape(reply.text()),
                SECTION_TEXT_LIMIT, TEXT_SECTIONS);
        text.parts().stream().filter(part -> !part.isBlank()).forEach(part -> blocks.add(section(part)));
        if (text.cut()) notes.add("The text is cut here: it is too long for Slack.");

        List<Reply.Field> fields = reply.fields();
        int shownFields = Math.min(fields.size(), FIELDS_PER_SECTION * FIELD_SECTIONS);
        for (int from = 0; from < shownFields; from += FIELDS_PER_SECTION) {
            List<TextObject> cells = new ArrayList<>();
            for (Reply.Field f : fields.subList(from, Math.min(shownFields, from + FIELDS_PER_SECTION))) cells.add(field(f));
            blocks.add(SectionBlock.builder().fields(cells).build());
        }
        if (fields.size() > shownFields) notes.add((fields.size() - shownFields) + " more fields are not shown.");

        List<BlockElement> buttons = new ArrayList<>();
        for (Reply.Button b : reply.buttons()) {
            if (buttons.size() == BUTTONS_PER_BLOCK || b.command().length() > BUTTON_VALUE_LIMIT) continue;
            buttons.add(button(b, buttons.size()));
        }
        if (buttons.size() < reply.buttons().size()) notes.add("Some actions are not shown; type them as commands.");
        if (!buttons.isEmpty()) blocks.add(ActionsBlock.builder().elements(buttons).build());

        Reply.Link link = reply.link() != null ? reply.link()
                : reply.requestId() != null ? links.requestLink(reply.requestId()) : null;
        List<ContextBlockElement> context = new ArrayList<>();
        if (!notes.isEmpty()) {
            String where = link != null ? " The whole record is in the console." : "";
            context.add(markdown(String.join(" ", notes) + where));
        }
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

    private static TextObject field(Reply.Field f) {
        String text = "*" + SlackText.escape(f.label()) + "*\n" + SlackText.escape(f.value());
        return markdown(shorten(text, FIELD_TEXT_LIMIT));
    }

    private static ButtonElement button(Reply.Button b, int index) {
        ButtonElement.ButtonElementBuilder e = ButtonElement.builder()
                .text(PlainTextObject.builder().text(shorten(b.label(), BUTTON_LABEL_LIMIT)).emoji(true).build())
                .actionId(shorten(ACTION_PREFIX + index + ":" + b.command(), ACTION_ID_LIMIT))
                .value(b.command());
        return switch (b.style()) {
            case DEFAULT -> e.build();
            case PRIMARY -> e.style("primary").build();
            case DANGER -> e.style("danger").build();
        };
    }

    private static String fallback(Reply reply) {
        return reply.text().isBlank() ? "…" : shorten(SlackText.escape(reply.text()), FALLBACK_LIMIT);
    }

    /** At most {@code max} characters, ending in an ellipsis when cut; never cuts an entity or a surrogate pair. */
    private static String shorten(String s, int max) {
        if (s.length() <= max) return s;
        return s.substring(0, SlackText.safeCut(s, max - 1)) + "…";
    }
}
