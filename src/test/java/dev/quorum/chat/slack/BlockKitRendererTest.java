package dev.quorum.chat.slack;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.slack.api.util.json.GsonFactory;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Reply;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BlockKitRendererTest {
    private static final Gson GSON = GsonFactory.createSnakeCase();
    private static final BlockKitRenderer RENDERER = new BlockKitRenderer(new Links("http://quorum.test"));

    private static JsonArray blocks(Reply reply) {
        return GSON.toJsonTree(RENDERER.render(reply).blocks()).getAsJsonArray();
    }

    @Test
    void aPlainReplyIsOneSectionWithSlacksThreeCharactersEscaped() {
        Reply reply = Reply.text("if a < b && c > d, run `test`");

        SlackMessage m = RENDERER.render(reply);

        assertThat(blocks(reply).toString()).isEqualTo(
                "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"if a &lt; b &amp;&amp; c &gt; d, run `test`\"}}]");
        assertThat(m.text()).isEqualTo("if a &lt; b &amp;&amp; c &gt; d, run `test`");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "INFO, done",
            "SUCCESS, :white_check_mark: done",
            "WARNING, :warning: done",
            "ERROR, :x: done"})
    void theToneIsAnEmojiBeforeTheText(Reply.Tone tone, String shown) {
        assertThat(sectionTexts(blocks(Reply.text("done").withTone(tone)))).containsExactly(shown);
    }

    @Test
    void buttonsCarryTheirCommandInValueAndActionId() {
        Reply card = Reply.text("R7 · merge feature/x into main").withButtons(List.of(
                new Reply.Button("Approve", "approve R7", Reply.Button.Style.PRIMARY),
                new Reply.Button("Reject", "reject R7", Reply.Button.Style.DANGER),
                new Reply.Button("Status", "status R7", null)));

        JsonObject actions = blocks(card).get(1).getAsJsonObject();

        assertThat(actions.toString()).isEqualTo("{\"type\":\"actions\",\"elements\":["
                + "{\"type\":\"button\",\"text\":{\"type\":\"plain_text\",\"text\":\"Approve\",\"emoji\":true},\"action_id\":\"quorum:0:approve R7\",\"value\":\"approve R7\",\"style\":\"primary\"},"
                + "{\"type\":\"button\",\"text\":{\"type\":\"plain_text\",\"text\":\"Reject\",\"emoji\":true},\"action_id\":\"quorum:1:reject R7\",\"value\":\"reject R7\",\"style\":\"danger\"},"
                + "{\"type\":\"button\",\"text\":{\"type\":\"plain_text\",\"text\":\"Status\",\"emoji\":true},\"action_id\":\"quorum:2:status R7\",\"value\":\"status R7\"}]}");
    }

    @Test
    void fieldsGoTenToASectionAndWhatDoesNotFitIsCounted() {
        List<Reply.Field> fields = IntStream.rangeClosed(1, 25).mapToObj(i -> new Reply.Field("f" + i, "v<" + i + ">")).toList();

        JsonArray b = blocks(Reply.text("facts").withFields(fields));

        assertThat(b).hasSize(4);
        JsonArray first = b.get(1).getAsJsonObject().getAsJsonArray("fields");
        assertThat(first).hasSize(10);
        assertThat(first.get(0).getAsJsonObject().get("text").getAsString()).isEqualTo("*f1*\nv&lt;1&gt;");
        assertThat(b.get(2).getAsJsonObject().getAsJsonArray("fields")).hasSize(10);
        assertThat(contextTexts(b)).containsExactly("5 more fields are not shown.");
    }

    @Test
    void theLinkIsAContextLineAndARequestWithoutOneLinksToItsRecord() {
        Reply linked = Reply.text("x").withLink(new Reply.Link("Full history in the console", "http://quorum.test/#/history"));
        Reply aboutRequest = Reply.text("x").about("R7");

        assertThat(contextTexts(blocks(linked))).containsExactly("<http://quorum.test/#/history|Full history in the console>");
        assertThat(contextTexts(blocks(aboutRequest))).containsExactly("<http://quorum.test/#/requests/R7|Open R7 in the console>");
    }

    @Test
    void longTextIsCutAtLineBreaksWithinSlacksLimitAndPointsToTheConsole() {
        String line = "x".repeat(99) + "\n";
        Reply longLog = Reply.text(line.repeat(200)).about("R7"); // 20,000 characters

        JsonArray b = blocks(longLog);
        List<String> sections = sectionTexts(b);

        assertThat(sections).hasSize(BlockKitRenderer.TEXT_SECTIONS);
        assertThat(sections).allSatisfy(s -> {
            assertThat(s.length()).isLessThanOrEqualTo(BlockKitRenderer.SECTION_TEXT_LIMIT);
            assertThat(s).endsWith("x");
        });
        assertThat(contextTexts(b)).containsExactly(
                "The text is cut here: it is too long for one message. The whole record is in the console.",
                "<http://quorum.test/#/requests/R7|Open R7 in the console>");
        assertThat(RENDERER.render(longLog).text()).hasSize(BlockKitRenderer.FALLBACK_LIMIT).endsWith("…");
    }

    @Test
    void aCodeBlockSplitAcrossSectionsIsClosedAndReopened() {
        String code = "```\n" + ("log line\n").repeat(500) + "```";

        List<String> sections = sectionTexts(blocks(Reply.text(code)));

        assertThat(sections).hasSize(2);
        assertThat(sections.get(0)).startsWith("```\n").endsWith("log line\n```");
        assertThat(sections.get(1)).startsWith("```\nlog line").endsWith("```");
    }

    @Property(tries = 300)
    void whateverTheReplyTheMessageKeepsSlacksLimits(@ForAll("replies") Reply reply) {
        SlackMessage m = RENDERER.render(reply);
        JsonArray b = GSON.toJsonTree(m.blocks()).getAsJsonArray();

        assertThat(b.size()).isBetween(1, 50);
        assertThat(m.text()).isNotBlank().hasSizeLessThanOrEqualTo(BlockKitRenderer.FALLBACK_LIMIT);
        Set<String> actionIds = new HashSet<>();
        for (JsonElement e : b) {
            JsonObject block = e.getAsJsonObject();
            switch (block.get("type").getAsString()) {
                case "section" -> {
                    if (block.has("text")) assertThat(block.getAsJsonObject("text").get("text").getAsString()).hasSizeLessThanOrEqualTo(3000).isNotBlank().doesNotEndWith("&am");
                    if (block.has("fields")) {
                        assertThat(block.getAsJsonArray("fields")).hasSizeLessThanOrEqualTo(10);
                        block.getAsJsonArray("fields").forEach(f -> assertThat(f.getAsJsonObject().get("text").getAsString()).hasSizeLessThanOrEqualTo(2000));
                    }
                }
                case "actions" -> {
                    assertThat(block.getAsJsonArray("elements")).hasSizeLessThanOrEqualTo(25);
                    block.getAsJsonArray("elements").forEach(el -> {
                        JsonObject button = el.getAsJsonObject();
                        assertThat(button.getAsJsonObject("text").get("text").getAsString()).hasSizeLessThanOrEqualTo(75);
                        assertThat(button.get("action_id").getAsString()).hasSizeLessThanOrEqualTo(255);
                        assertThat(actionIds.add(button.get("action_id").getAsString())).isTrue();
                        assertThat(button.get("value").getAsString()).hasSizeLessThanOrEqualTo(2000);
                    });
                }
                case "context" -> block.getAsJsonArray("elements").forEach(el ->
                        assertThat(el.getAsJsonObject().get("text").getAsString()).hasSizeLessThanOrEqualTo(3000));
                default -> throw new AssertionError("unexpected block " + block);
            }
        }
    }

    @Provide
    Arbitrary<Reply> replies() {
        Arbitrary<String> text = Arbitraries.strings().withChars("ab <>&`\n😀").ofMaxLength(20_000).edgeCases(c -> c.add(" \n"));
        Arbitrary<Reply.Field> field = Combinators.combine(Arbitraries.strings().ofMaxLength(100), Arbitraries.strings().withChars("v&<\n").ofMaxLength(3000))
                .as(Reply.Field::new);
        Arbitrary<Reply.Button> button = Combinators.combine(Arbitraries.strings().ofMinLength(1).ofMaxLength(120),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(300), Arbitraries.of(Reply.Button.Style.class)).as(Reply.Button::new);
        return Combinators.combine(text, Arbitraries.of(Reply.Tone.class), field.list().ofMaxSize(40), button.list().ofMaxSize(40),
                Arbitraries.of("R1", "R42").injectNull(0.5)).as((t, tone, fs, bs, id) -> new Reply(t, tone, fs, bs, null, id));
    }

    private static List<String> sectionTexts(JsonArray blocks) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : blocks) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("type").getAsString().equals("section") && o.has("text")) out.add(o.getAsJsonObject("text").get("text").getAsString());
        }
        return out;
    }

    private static List<String> contextTexts(JsonArray blocks) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : blocks) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("type").getAsString().equals("context")) {
                o.getAsJsonArray("elements").forEach(el -> out.add(el.getAsJsonObject().get("text").getAsString()));
            }
        }
        return out;
    }
}
