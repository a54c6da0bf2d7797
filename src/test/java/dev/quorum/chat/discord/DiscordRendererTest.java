package dev.quorum.chat.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Reply;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Replies as Discord messages: content, embeds, buttons, files; buttons backed by records in a real Redis. */
class DiscordRendererTest {
    private Redis redis;
    private ButtonRecords buttons;
    private DiscordRenderer renderer;

    @BeforeEach
    void start() {
        redis = TestRedis.fresh();
        buttons = new ButtonRecords(redis);
        renderer = new DiscordRenderer(new ObjectMapper(), buttons, new Links("http://quorum.test"));
    }

    @AfterEach
    void stop() {
        redis.close();
    }

    @Test
    void aShortTextIsTheContentAndPingsNobody() {
        JsonNode m = renderer.render(Reply.text("Hello @everyone, see fix_a_b and `fix_a_b`")).message();

        assertThat(m.path("content").asText()).isEqualTo("Hello @everyone, see fix\\_a\\_b and `fix_a_b`");
        assertThat(m.path("embeds")).isEmpty();
        assertThat(m.path("components")).isEmpty();
        assertThat(m.path("allowed_mentions").toString()).isEqualTo("{\"parse\":[]}");
    }

    @Test
    void aCardHasItsFieldsInAnEmbedColouredByToneLinkingToTheRecord() {
        Reply card = new Reply("Merge feature/x into main?", Reply.Tone.WARNING,
                List.of(new Reply.Field("Tests", "42 passed"), new Reply.Field("Approvals", "0 of 2")), List.of(), null, "R7");

        JsonNode m = renderer.render(card).message();

        assertThat(m.path("content").asText()).isEqualTo("⚠️ Merge feature/x into main?");
        JsonNode embed = m.path("embeds").get(0);
        assertThat(embed.path("color").asInt()).isEqualTo(0xFEE75C);
        assertThat(embed.path("url").asText()).isEqualTo("http://quorum.test/#/requests/R7");
        assertThat(embed.path("fields").toString()).isEqualTo(
                "[{\"name\":\"Tests\",\"value\":\"42 passed\",\"inline\":true},{\"name\":\"Approvals\",\"value\":\"0 of 2\",\"inline\":true}]");
    }

    @Test
    void buttonsComeInRowsOfFiveWithCustomIdsThatAreKeysToTheirCommands() {
        List<Reply.Button> seven = IntStream.range(0, 7)
                .mapToObj(i -> new Reply.Button("B" + i, "approve R" + i, i == 0 ? Reply.Button.Style.PRIMARY : Reply.Button.Style.DANGER))
                .toList();

        DiscordRenderer.Rendered r = renderer.render(Reply.text("Vote").withButtons(seven).about("R1"));

        JsonNode rows = r.message().path("components");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).path("type").asInt()).isEqualTo(1);
        assertThat(rows.get(0).path("components")).hasSize(5);
        assertThat(rows.get(1).path("components")).hasSize(2);
        JsonNode first = rows.get(0).path("components").get(0);
        assertThat(first.path("style").asInt()).isEqualTo(1);
        assertThat(rows.get(1).path("components").get(1).path("style").asInt()).isEqualTo(4);
        assertThat(r.buttonIds()).hasSize(7).allMatch(id -> id.matches("q:[A-Za-z0-9]{16}"));
        assertThat(first.path("custom_id").asText()).isEqualTo(r.buttonIds().getFirst());
        assertThat(buttons.find(r.buttonIds().get(6))).contains(new ButtonRecords.Button("approve R6", "R1", ""));
    }

    @Test
    void aLongTextIsSplitAtLinesIntoTheContentAndEmbedsWithCodeBlocksClosedAndReopened() {
        StringBuilder text = new StringBuilder("```\n");
        for (int i = 0; i < 150; i++) text.append("line ").append(i).append(" of the test output\n");
        text.append("```");

        JsonNode m = renderer.render(Reply.text(text.toString())).message();

        String content = m.path("content").asText();
        assertThat(content.length()).isLessThanOrEqualTo(2000);
        assertThat(content).startsWith("```\nline 0 ").endsWith("\n```");
        JsonNode second = m.path("embeds").get(0);
        assertThat(second.path("description").asText()).startsWith("```\nline ").endsWith("```");
        List<String> all = new ArrayList<>(List.of(content.split("\n")));
        m.path("embeds").forEach(e -> all.addAll(List.of(e.path("description").asText().split("\n"))));
        assertThat(all).contains("line 0 of the test output", "line 149 of the test output");
        assertThat(m.has("flags")).isFalse();
    }

    @Test
    void aTextOfMorePartsThanAMessageShowsGoesWholeIntoAFile() {
        String text = IntStream.range(0, 800).mapToObj(i -> "result line " + i).reduce((a, b) -> a + "\n" + b).orElseThrow();

        DiscordRenderer.Rendered r = renderer.render(Reply.text(text).about("R3"));

        assertThat(r.file()).isNotNull();
        assertThat(r.file().name()).isEqualTo("reply.txt");
        assertThat(r.file().text()).contains("result line 0\n", "result line 799");
        assertThat(r.message().path("content").asText()).startsWith("result line 0\n").hasSizeLessThanOrEqualTo(2000);
        JsonNode embeds = r.message().path("embeds");
        assertThat(embeds).hasSize(1);
        assertThat(embeds.get(0).path("footer").path("text").asText())
                .isEqualTo("The text is cut here: the whole of it is in the attached file reply.txt. The whole record is in the console.");
        assertThat(r.message().has("attachments")).isFalse();
    }

    @Test
    void fieldsBeyondDiscordsEmbedTotalAreLeftOutAndSaidSo() {
        List<Reply.Field> many = IntStream.range(0, 25).mapToObj(i -> new Reply.Field("F" + i, "x".repeat(900))).toList();

        JsonNode embed = renderer.render(Reply.text("Report").withFields(many)).message().path("embeds").get(0);

        int total = 0;
        for (JsonNode f : embed.path("fields")) total += f.path("name").asText().length() + f.path("value").asText().length();
        total += embed.path("footer").path("text").asText().length();
        assertThat(total).isLessThanOrEqualTo(DiscordRenderer.EMBED_TOTAL);
        int shown = embed.path("fields").size();
        assertThat(shown).isBetween(1, 24);
        assertThat(embed.path("footer").path("text").asText()).isEqualTo((25 - shown) + " more fields are not shown.");
    }

    @Test
    void aReplyAddressedToAMemberMentionsAndPingsOnlyThem() {
        JsonNode m = renderer.render(Reply.error("You may not approve your own request."), "4000000000000000004").message();

        assertThat(m.path("content").asText()).isEqualTo("<@4000000000000000004> ❌ You may not approve your own request.");
        assertThat(m.path("allowed_mentions").toString()).isEqualTo("{\"parse\":[],\"users\":[\"4000000000000000004\"]}");
    }

    @Test
    void anEphemeralMessageCarriesDiscordsFlag() {
        assertThat(renderer.ephemeral(Reply.text("only you")).message().path("flags").asInt()).isEqualTo(64);
    }
}
