package dev.quorum.conversation;

import java.util.Objects;
import java.util.Set;

/**
 * A message addressed to Quorum, already stripped of the mention or slash-command prefix by the
 * adapter. Button clicks arrive as messages too, with the button's command as text.
 *
 * @param sender      who sent it
 * @param displayName how to name the sender in replies; decides nothing
 * @param where       where it was said; replies go there
 * @param text        the command text
 * @param fromBot     bots and apps (including Quorum itself) never count as humans
 * @param messageId   the platform's id of the message, for dedupe and reactions; may be {@code null}
 * @param addressed   said to Quorum explicitly (mention, slash command, console, button); a message
 *                    that was not (thread chatter) is only acted on when it is a well-formed command
 * @param roles       platform roles the sender holds, in the form {@code groups:} lists them
 *                    (e.g. {@code discord-role:<guild id>/<role id>}); empty where a platform has none
 * @param handle      where a private answer to this message may go; opaque to the core, may be {@code null}
 */
public record IncomingMessage(Identity sender, String displayName, Conversation where, String text,
                              boolean fromBot, String messageId, boolean addressed, Set<String> roles,
                              ReplyHandle handle) {
    public IncomingMessage {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(where, "where");
        text = text == null ? "" : text;
        displayName = displayName == null || displayName.isBlank() ? sender.id() : displayName;
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public IncomingMessage(Identity sender, String displayName, Conversation where, String text,
                           boolean fromBot, String messageId, boolean addressed) {
        this(sender, displayName, where, text, fromBot, messageId, addressed, Set.of(), null);
    }

    public static IncomingMessage human(Identity sender, Conversation where, String text) {
        return new IncomingMessage(sender, sender.id(), where, text, false, null, true);
    }
}
