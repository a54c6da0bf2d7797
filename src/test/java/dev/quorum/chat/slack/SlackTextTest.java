package dev.quorum.chat.slack;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SlackTextTest {
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("the bot's leading mention is dropped", "<@UQUORUM> status R7", "status R7"),
                Arguments.of("talk before the mention is not part of the command", "thanks! <@UQUORUM> approve R7", "approve R7"),
                Arguments.of("an old-style mention with a name", "<@UQUORUM|quorum> help", "help"),
                Arguments.of("a member mention becomes @id, which history reads as slack:id", "<@UQUORUM> history <@U024BE7LH>", "history @U024BE7LH"),
                Arguments.of("a link becomes its address", "<@UQUORUM> research what is <https://example.com/a?b=1&amp;c=2>", "research what is https://example.com/a?b=1&c=2"),
                Arguments.of("a labelled link keeps the address, not the label", "<@UQUORUM> research <https://example.com|example.com>", "research https://example.com"),
                Arguments.of("a channel becomes #name", "<@UQUORUM> code note <#C024BE7LR|general> in docs", "code note #general in docs"),
                Arguments.of("a special mention becomes @here", "<@UQUORUM> freeze <!here> incident", "freeze @here incident"),
                Arguments.of("Slack's escapes become the characters", "<@UQUORUM> research is 1 &lt; 2 &amp;&amp; 3 &gt; 2?", "research is 1 < 2 && 3 > 2?"),
                Arguments.of("an escaped entity is decoded once only", "<@UQUORUM> research &amp;lt;", "research &lt;"),
                Arguments.of("no mention: the whole text", "status", "status"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void whatAMemberTypedBecomesTheCommandText(String rule, String markup, String command) {
        assertThat(SlackText.toCommand(markup, "UQUORUM")).isEqualTo(command);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void beforeQuorumKnowsItsUserIdALeadingMentionIsStillDropped(String rule, String markup, String command) {
        if (!markup.startsWith("<@UQUORUM")) return; // talk before a mention can only be told apart by the id
        assertThat(SlackText.toCommand(markup, null)).isEqualTo(command);
    }
}
