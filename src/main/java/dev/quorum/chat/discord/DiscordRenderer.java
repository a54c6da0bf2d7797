package dev.quorum.chat.discord;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Reply;
import dev.quorum.conversation.ReplyFitter;

import java.util.ArrayList;
import java.util.List;

/**
 * The neutral {@link Reply} as one Discord message: the text's first part as its content (2000
 * characters), further parts as embeds, the fields in an embed coloured by tone whose title links to
 * the console record, the notes of what did not fit in its footer, and the buttons in action rows of
 * five. A text of more parts than {@link #TEXT_MESSAGE_PARTS} goes whole into an attached file and
 * the content shows its beginning. Every message says {@code allowed_mentions: {parse: []}}: nothing
 * Quorum posts pings anyone but the member a reply is addressed to. Button custom ids are keys of
 * {@link ButtonRecords}. Thread-safe.
 */
final class DiscordRenderer {
    /** Discord's limits: message content, embed fields and their values, button labels, buttons a row, rows. */
    static final ReplyFitter.Limits LIMITS = new ReplyFitter.Limits(2000, 3, 25, 1024, 80, 5, 5, Integer.MAX_VALUE);
    /** Parts of text one message shows (the content and two embeds); more goes into a file. */
    static final int TEXT_MESSAGE_PARTS = LIMITS.textParts();
    /** All embeds of a message together (titles, descriptions, field names and values, footers). */
    static final int EMBED_TOTAL = 6000;
    static final int FIELD_NAME_LIMIT = 256;
    static final int FOOTER_LIMIT = 2048;
    static final String FILE_NAME = "reply.txt";
    /** Flags of a message only the member who clicked or asked sees. */
    static final int EPHEMERAL = 64;

    private static final ReplyFitter.Limits ALL_TEXT = new ReplyFitter.Limits(LIMITS.textPart(), Integer.MAX_VALUE,
            LIMITS.fields(), LIMITS.fieldText(), LIMITS.buttonLabel(), LIMITS.buttonsPerRow(), LIMITS.buttonRows(), LIMITS.buttonCommand());

    /**
     * @param message   the message JSON, for {@code POST}/{@code PATCH} or a webhook
     * @param buttonIds the custom ids it carries, to bind to the message once posted
     * @param file      the whole text when it did not fit, else null
     */
    record Rendered(ObjectNode message, List<String> buttonIds, DiscordRest.Attachment file) {}

    private final ObjectMapper json;
    private final ButtonRecords buttons;
    private final Links links;

    DiscordRenderer(ObjectMapper json, ButtonRecords buttons, Links links) {
        this.json = json;
        this.buttons = buttons;
        this.links = links;
    }

    /** The reply as a message to everyone in the conversation. */
    Rendered render(Reply reply) {
        return render(reply, null);
    }

    /**
     * @param addressTo the Discord user id the reply is addressed to (mentioned first, the only one pinged),
     *                  or null
     */
    Rendered render(Reply reply, String addressTo) {
        ReplyFitter.Fitted fitted = ReplyFitter.fit(withTonePrefix(reply), ALL_TEXT, DiscordMarkdown::escape);
        ObjectNode m = json.createObjectNode();
        List<String> parts = fitted.textParts();
        boolean toFile = parts.size() > TEXT_MESSAGE_PARTS;
        List<String> notes = new ArrayList<>(fitted.notes());
        if (toFile) notes.addFirst("The text is cut here: the whole of it is in the attached file " + FILE_NAME + ".");

        String mention = addressTo == null ? "" : Mentions.of(addressTo) + " ";
        String first = parts.isEmpty() ? "" : parts.getFirst();
        m.put("content", cut(mention + first, LIMITS.textPart()));

        ArrayNode embeds = m.putArray("embeds");
        int budget = EMBED_TOTAL;
        for (String part : toFile ? List.<String>of() : parts.subList(Math.min(1, parts.size()), parts.size())) {
            embeds.addObject().put("type", "rich").put("description", part).put("color", colour(reply.tone()));
            budget -= part.length();
        }
        Reply.Link link = fitted.link() != null ? fitted.link() : reply.requestId() != null ? links.requestLink(reply.requestId()) : null;
        if (!fitted.fields().isEmpty() || link != null || !notes.isEmpty()) {
            budget = card(embeds.addObject(), reply.tone(), fitted.fields(), link, notes, budget);
        }

        ArrayNode rows = m.putArray("components");
        List<String> ids = new ArrayList<>();
        for (List<Reply.Button> row : fitted.buttonRows()) {
            ArrayNode cells = rows.addObject().put("type", 1).putArray("components");
            for (Reply.Button b : row) {
                String id = buttons.save(b.command(), reply.requestId());
                ids.add(id);
                cells.addObject().put("type", 2).put("style", style(b.style())).put("label", b.label()).put("custom_id", id);
            }
        }

        if (m.path("content").asText().isEmpty() && embeds.isEmpty() && rows.isEmpty() && !toFile) {
            m.put("content", "…"); // Discord refuses a message with nothing in it
        }
        ObjectNode allowed = m.putObject("allowed_mentions");
        allowed.putArray("parse");
        if (addressTo != null) allowed.putArray("users").add(addressTo);
        DiscordRest.Attachment file = toFile ? new DiscordRest.Attachment(FILE_NAME, String.join("\n", parts)) : null;
        if (file == null) m.putArray("attachments"); // an edit drops a file the earlier version had
        return new Rendered(m, List.copyOf(ids), file);
    }

    /** The same message shown only to the member who caused the interaction. */
    Rendered ephemeral(Reply reply) {
        Rendered r = render(reply);
        r.message().put("flags", EPHEMERAL);
        return r;
    }

    /** The embed with the fields, the link to the record and the notes; fields that would pass Discord's total are left out. */
    private int card(ObjectNode embed, Reply.Tone tone, List<Reply.Field> fields, Reply.Link link, List<String> notes, int budget) {
        embed.put("type", "rich").put("color", colour(tone));
        if (link != null) {
            String title = cut(link.label(), FIELD_NAME_LIMIT);
            embed.put("title", title).put("url", link.url());
            budget -= title.length();
        }
        int footerRoom = 200;
        ArrayNode cells = embed.putArray("fields");
        int shown = 0;
        for (Reply.Field f : fields) {
            String name = cut(f.label(), FIELD_NAME_LIMIT); // the fitter escaped both
            String value = f.value().isBlank() ? "—" : f.value();
            if (name.length() + value.length() > budget - footerRoom) break;
            cells.addObject().put("name", name).put("value", value).put("inline", value.length() <= 40);
            budget -= name.length() + value.length();
            shown++;
        }
        List<String> all = new ArrayList<>(notes);
        if (shown < fields.size()) all.add((fields.size() - shown) + " more fields are not shown.");
        if (!all.isEmpty()) {
            String where = link != null ? " The whole record is in the console." : "";
            String footer = cut(String.join(" ", all) + where, Math.min(FOOTER_LIMIT, Math.max(0, budget)));
            if (!footer.isEmpty()) embed.putObject("footer").put("text", footer);
            budget -= footer.length();
        }
        return budget;
    }

    private static Reply withTonePrefix(Reply r) {
        return new Reply(tonePrefix(r.tone()) + r.text(), r.tone(), r.fields(), r.buttons(), r.link(), r.requestId());
    }

    /** How a tone shows: an emoji before the text, and the embed's colour from Discord's own palette. */
    private record Look(String prefix, int colour) {
        static Look of(Reply.Tone tone) {
            return switch (tone) {
                case INFO -> new Look("", 0x5865F2);
                case SUCCESS -> new Look("✅ ", 0x57F287);
                case WARNING -> new Look("⚠️ ", 0xFEE75C);
                case ERROR -> new Look("❌ ", 0xED4245);
            };
        }
    }

    private static String tonePrefix(Reply.Tone tone) {
        return Look.of(tone).prefix();
    }

    static int colour(Reply.Tone tone) {
        return Look.of(tone).colour();
    }

    /** Discord's button styles: primary 1, secondary 2, danger 4. */
    private static int style(Reply.Button.Style style) {
        return switch (style) {
            case DEFAULT -> 2;
            case PRIMARY -> 1;
            case DANGER -> 4;
        };
    }

    /** At most {@code max} characters, ending in an ellipsis when cut, never between the halves of a surrogate pair. */
    private static String cut(String s, int max) {
        if (s.length() <= max) return s;
        if (max <= 1) return "";
        int at = max - 1;
        if (Character.isLowSurrogate(s.charAt(at))) at--;
        return s.substring(0, at) + "…";
    }
}
