package dev.quorum.chat.slack;

import com.slack.api.model.block.LayoutBlock;

import java.util.List;
import java.util.Objects;

/**
 * A reply as Slack takes it: Block Kit blocks, and the plain text that notifications and screen
 * readers show instead of them.
 */
record SlackMessage(String text, List<LayoutBlock> blocks) {
    SlackMessage {
        Objects.requireNonNull(text, "text");
        blocks = List.copyOf(blocks);
    }
}
