package dev.quorum.conversation;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** One fitter for every platform: what is cut, where, and what is said about it. */
class ReplyFitterTest {
    /** Slack's escaping: entities that a cut must not split. */
    private static final UnaryOperator<String> ENTITIES = t -> t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    /** A Markdown escaping like Discord's: backslashes that a cut must not part from their character. */
    private static final UnaryOperator<String> BACKSLASHES = t -> t.replaceAll("([*_~\\\\])", "\\\\$1");
    private static final ReplyFitter.Limits SLACK = new ReplyFitter.Limits(3000, 4, 20, 1997, 75, 25, 1, 2000);
    private static final ReplyFitter.Limits DISCORD = new ReplyFitter.Limits(2000, 1, 25, 1024, 80, 5, 5, Integer.MAX_VALUE);

    @Test
    void longTextIsCutAtLineBreaksWithinTheLimitAndSaysSo() {
        String line = "x".repeat(99) + "\n";
        ReplyFitter.Fitted f = ReplyFitter.fit(Reply.text(line.repeat(200)), SLACK, ENTITIES); // 20,000 characters

        assertThat(f.textParts()).hasSize(4).allSatisfy(p -> assertThat(p).hasSizeLessThanOrEqualTo(3000).endsWith("x"));
        assertThat(f.notes()).containsExactly("The text is cut here: it is too long for one message.");
        assertThat(f.notesLine(true)).isEqualTo("The text is cut here: it is too long for one message. The whole record is in the console.");
        assertThat(f.notesLine(false)).isEqualTo("The text is cut here: it is too long for one message.");
    }

    @Test
    void aCodeBlockCutInTwoIsClosedAndReopened() {
        String code = "```\n" + ("log line\n").repeat(500) + "```";

        List<String> parts = ReplyFitter.fit(Reply.text(code), SLACK, ENTITIES).textParts();

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0)).startsWith("```\n").endsWith("log line\n```");
        assertThat(parts.get(1)).startsWith("```\nlog line").endsWith("```");
    }

    static Stream<Arguments> safeCuts() {
        return Stream.of(
                Arguments.of("a cut after an entity stays", "a &amp; b", 7, 7),
                Arguments.of("a cut inside &amp; moves before it", "a &amp; b", 4, 2),
                Arguments.of("a cut inside &lt; moves before it", "ab&lt;", 5, 2),
                Arguments.of("a cut between surrogates moves before the pair", "ab😀c", 3, 2),
                Arguments.of("a cut after an escaping backslash moves before it", "ab\\*c", 3, 2),
                Arguments.of("a cut after an escaped backslash stays", "ab\\\\c", 4, 4),
                Arguments.of("a cut inside a fence moves before it", "ab```c", 4, 2),
                Arguments.of("a plain cut stays", "abcdef", 3, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("safeCuts")
    void escapedTextIsNeverCutInsideAnEscapeACharacterOrAFence(String rule, String escaped, int at, int cut) {
        assertThat(ReplyFitter.safeCut(escaped, at)).isEqualTo(cut);
    }

    @Test
    void fieldsUpToTheCountEachWithinItsLengthAndTheRestCounted() {
        List<Reply.Field> fields = IntStream.rangeClosed(1, 30).mapToObj(i -> new Reply.Field("f" + i, "v<" + i + ">")).toList();
        Reply.Field huge = new Reply.Field("log", "&".repeat(3000));

        ReplyFitter.Fitted f = ReplyFitter.fit(Reply.text("facts").withFields(fields), DISCORD, ENTITIES);
        Reply.Field cut = ReplyFitter.fit(Reply.text("x").withFields(List.of(huge)), DISCORD, ENTITIES).fields().getFirst();

        assertThat(f.fields()).hasSize(25).first().isEqualTo(new Reply.Field("f1", "v&lt;1&gt;"));
        assertThat(f.notes()).containsExactly("5 more fields are not shown.");
        assertThat(cut.label().length() + cut.value().length()).isLessThanOrEqualTo(1024);
        assertThat(cut.value()).endsWith("&amp;…");
    }

    @Test
    void buttonsGoFiveToARowFiveRowsAtMostAndTooLongCommandsAreLeftOut() {
        List<Reply.Button> buttons = IntStream.rangeClosed(1, 27)
                .mapToObj(i -> new Reply.Button("Button number " + i + " ".repeat(100) + "end", "status R" + i, null)).toList();
        List<Reply.Button> withLong = List.of(new Reply.Button("ok", "approve R1", null), new Reply.Button("long", "x".repeat(2001), null));

        ReplyFitter.Fitted discord = ReplyFitter.fit(Reply.text("card").withButtons(buttons), DISCORD, ENTITIES);
        ReplyFitter.Fitted slack = ReplyFitter.fit(Reply.text("card").withButtons(withLong), SLACK, ENTITIES);

        assertThat(discord.buttonRows()).hasSize(5).allSatisfy(row -> assertThat(row).hasSize(5));
        assertThat(discord.buttonRows().getFirst().getFirst().label()).hasSize(80).endsWith("…");
        assertThat(discord.buttonRows().getLast().getLast().command()).isEqualTo("status R25");
        assertThat(discord.notes()).containsExactly("Some actions are not shown; type them as commands.");
        assertThat(slack.buttonRows()).containsExactly(List.of(new Reply.Button("ok", "approve R1", null)));
        assertThat(slack.notes()).containsExactly("Some actions are not shown; type them as commands.");
    }

    @Property(tries = 200)
    void withoutLimitsTheReplyIsKeptAsItIs(@ForAll("texts") String text, @ForAll @IntRange(max = 40) int buttons) {
        List<Reply.Button> bs = IntStream.range(0, buttons).mapToObj(i -> new Reply.Button("b" + i, "status R" + i, null)).toList();
        List<Reply.Field> fs = List.of(new Reply.Field("a", text));
        Reply reply = Reply.text(text).withFields(fs).withButtons(bs).withLink(new Reply.Link("l", "http://q.test"));

        ReplyFitter.Fitted f = ReplyFitter.fit(reply, ReplyFitter.Limits.NONE, UnaryOperator.identity());

        assertThat(String.join("", f.textParts())).isEqualTo(text);
        assertThat(f.textParts()).hasSizeLessThanOrEqualTo(1);
        assertThat(f.fields()).isEqualTo(fs);
        assertThat(f.buttonRows().stream().flatMap(List::stream).toList()).isEqualTo(bs);
        assertThat(f.notes()).isEmpty();
        assertThat(f.link()).isEqualTo(reply.link());
    }

    @Property(tries = 500)
    void noPartIsOverTheLimitAndNoneSplitsAnEntityOrACharacter(@ForAll("texts") String text,
                                                                @ForAll @IntRange(min = 16, max = 400) int limit,
                                                                @ForAll @IntRange(min = 1, max = 6) int parts) {
        List<String> fitted = ReplyFitter.fit(Reply.text(text), limits(limit, parts), ENTITIES).textParts();

        assertThat(fitted).hasSizeLessThanOrEqualTo(parts);
        for (String part : fitted) {
            assertThat(part).hasSizeLessThanOrEqualTo(limit);
            assertWholeCharacters(part);
            for (int i = part.indexOf('&'); i >= 0; i = part.indexOf('&', i + 1)) {
                assertThat(part.startsWith("&amp;", i) || part.startsWith("&lt;", i) || part.startsWith("&gt;", i))
                        .as("a whole entity at %d of %s", i, part).isTrue();
            }
        }
    }

    @Property(tries = 500)
    void noPartEndsInABackslashThatEscapesTheNextPartsFirstCharacter(@ForAll("texts") String text,
                                                                     @ForAll @IntRange(min = 16, max = 400) int limit) {
        List<String> fitted = ReplyFitter.fit(Reply.text(text), limits(limit, 6), BACKSLASHES).textParts();

        for (String part : fitted) {
            assertThat(part).hasSizeLessThanOrEqualTo(limit);
            int slashes = 0;
            while (slashes < part.length() && part.charAt(part.length() - 1 - slashes) == '\\') slashes++;
            assertThat(slashes % 2).as("trailing backslashes of %s", part).isZero();
        }
    }

    @Property(tries = 500)
    void fencesAreBalancedInEveryPartAndNothingIsLostWhenNothingIsCut(@ForAll("texts") String text,
                                                                       @ForAll @IntRange(min = 16, max = 400) int limit) {
        String escaped = ENTITIES.apply(text);
        ReplyFitter.Fitted f = ReplyFitter.fit(Reply.text(text), limits(limit, 6), ENTITIES);
        List<String> parts = f.textParts();
        boolean balanced = fences(escaped) % 2 == 0;

        for (int i = 0; i < parts.size(); i++) {
            if (i < parts.size() - 1 || balanced) assertThat(fences(parts.get(i)) % 2).as("fences in %s", parts.get(i)).isZero();
        }
        if (f.notes().isEmpty()) {
            // The fitter adds only fences and line breaks, and drops only the line break it cuts at.
            assertThat(withoutFencesAndSpace(String.join("", parts))).isEqualTo(withoutFencesAndSpace(escaped));
        }
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("```", "\n", " ", "&", "<", ">", "😀", "\\", "*", "ab", "line\n", "```\n"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(60));
        return token.list().ofMaxSize(400).map(ts -> String.join("", ts));
    }

    private static ReplyFitter.Limits limits(int textPart, int textParts) {
        return new ReplyFitter.Limits(textPart, textParts, 20, 2000, 75, 25, 1, 2000);
    }

    private static void assertWholeCharacters(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < part.length() && Character.isLowSurrogate(part.charAt(i + 1))).as("pair at %d", i).isTrue();
            }
            if (Character.isLowSurrogate(c)) {
                assertThat(i > 0 && Character.isHighSurrogate(part.charAt(i - 1))).as("pair at %d", i).isTrue();
            }
        }
    }

    private static int fences(String s) {
        int n = 0;
        for (int i = s.indexOf("```"); i >= 0; i = s.indexOf("```", i + 3)) n++;
        return n;
    }

    private static String withoutFencesAndSpace(String s) {
        return s.replace("`", "").replaceAll("\\s", "");
    }
}
