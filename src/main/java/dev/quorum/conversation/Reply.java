package dev.quorum.conversation;

import java.util.List;
import java.util.Objects;

/**
 * What Quorum says, in a form every adapter can render: Slack blocks, Discord components, console
 * JSON. Adapters translate; they never add meaning.
 *
 * @param text      the main text; plain, with {@code `code`} spans allowed
 * @param tone      how to colour it
 * @param fields    labelled facts shown as a table or list
 * @param buttons   actions; a click is the same as typing the button's command
 * @param link      a link to the full record in the console
 * @param requestId the request this reply is about, or {@code null}
 */
public record Reply(String text, Tone tone, List<Field> fields, List<Button> buttons, Link link, String requestId) {
    public Reply {
        Objects.requireNonNull(text, "text");
        tone = tone == null ? Tone.INFO : tone;
        fields = fields == null ? List.of() : List.copyOf(fields);
        buttons = buttons == null ? List.of() : List.copyOf(buttons);
    }

    public static Reply text(String text) {
        return new Reply(text, Tone.INFO, List.of(), List.of(), null, null);
    }

    public static Reply error(String text) {
        return new Reply(text, Tone.ERROR, List.of(), List.of(), null, null);
    }

    public Reply withTone(Tone t) {
        return new Reply(text, t, fields, buttons, link, requestId);
    }

    public Reply withFields(List<Field> f) {
        return new Reply(text, tone, f, buttons, link, requestId);
    }

    public Reply withButtons(List<Button> b) {
        return new Reply(text, tone, fields, b, link, requestId);
    }

    public Reply withLink(Link l) {
        return new Reply(text, tone, fields, buttons, l, requestId);
    }

    public Reply about(String id) {
        return new Reply(text, tone, fields, buttons, link, id);
    }

    public enum Tone { INFO, SUCCESS, WARNING, ERROR }

    public record Field(String label, String value) {
        public Field {
            Objects.requireNonNull(label, "label");
            value = value == null ? "" : value;
        }
    }

    /**
     * @param command the command text a click sends, e.g. {@code approve R7}
     */
    public record Button(String label, String command, Style style) {
        public Button {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(command, "command");
            style = style == null ? Style.DEFAULT : style;
        }

        public enum Style { DEFAULT, PRIMARY, DANGER }
    }

    public record Link(String label, String url) {
        public Link {
            Objects.requireNonNull(url, "url");
            label = label == null ? url : label;
        }
    }
}
