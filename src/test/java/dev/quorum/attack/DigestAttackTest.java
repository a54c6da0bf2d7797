package dev.quorum.attack;

import dev.quorum.command.Command;
import dev.quorum.command.CommandParser;
import dev.quorum.command.ParseResult;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Reply;
import dev.quorum.insights.Digest;
import dev.quorum.insights.Insights;
import dev.quorum.insights.SeededHistory;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code digest} attacked: hostile arguments come back short and inert, and a digest asked in a channel never
 * names anyone's cost, whoever asks (the viewer is the channel, not the sender).
 */
class DigestAttackTest {
    private static final CommandParser PARSER = new CommandParser(Set.of("app"));

    @Test
    void hostileArgumentsAreEchoedShortAndCannotBreakOutOfTheCodeSpan() {
        assertThat(PARSER.parse("digest `<!channel>` @here")).isEqualTo(new ParseResult.Invalid(
                "`digest` takes at most one period: `week` or `month`.", "digest [week|month]"));
        assertThat(PARSER.parse("digest `<!channel>`")).isEqualTo(new ParseResult.Invalid(
                "`'<!channel>'` is not a period. Say `digest week` (the last 7 days) or `digest month` (the last 30 days).", "digest [week|month]"));
        assertThat(PARSER.parse("digest " + "y".repeat(3000))).isEqualTo(new ParseResult.Invalid(
                "`" + "y".repeat(40) + "…` is not a period. Say `digest week` (the last 7 days) or `digest month` (the last 30 days).", "digest [week|month]"));
        assertThat(PARSER.parse("digest wee\u0007k")).isEqualTo(new ParseResult.Invalid(
                "`wee?k` is not a period. Did you mean `week`? Say `digest week` (the last 7 days) or `digest month` (the last 30 days).", "digest [week|month]"));
        assertThat(PARSER.parse("digest " + "w".repeat(4000))).isInstanceOf(ParseResult.NotACommand.class);
    }

    @Test
    void noPersonOrIdentityAppearsInADigestOfAHistoryFullOfPeoplesCost() {
        try (Redis redis = TestRedis.fresh()) {
            SeededHistory.seed(redis, 150, 3);
            Reply r = new Digest(new Insights(redis, SeededHistory.directory()), new Links("https://q.example"))
                    .of(Command.Digest.Period.MONTH, SeededHistory.FIRST_DAY.plusDays(SeededHistory.DAYS - 1));
            List<String> said = new ArrayList<>(List.of(r.text()));
            r.fields().forEach(f -> said.add(f.label() + " " + f.value()));
            assertThat(r.fields()).extracting(Reply.Field::value).contains("p50 5 d 10 h, p90 5 d 10 h (1 restore)");
            assertThat(r.fields()).extracting(Reply.Field::value).anyMatch(v -> v.startsWith("$") && !v.startsWith("$0.00"));
            for (String who : List.of("alice", "bob", "carol", "dave", "UBOB", "console:", "slack:", "person:bob")) {
                assertThat(said).as(who).noneMatch(s -> s.contains(who));
            }
        }
    }
}
