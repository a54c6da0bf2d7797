package dev.quorum.attack;

import dev.quorum.command.CommandParser;
import dev.quorum.command.DidYouMean;
import dev.quorum.command.NotFound;
import dev.quorum.command.ParseResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Did you mean" echoes what a member typed and looks names up: hostile text must not break
 * out of the reply's code span, grow a reply without bound, cost time out of proportion, or
 * make Quorum look up ids in bulk.
 */
class ReplyHintAttackTest {
    private static final CommandParser PARSER = new CommandParser(Set.of("demo"));

    @Test
    void anEchoedWordCannotCloseItsCodeSpanOrGrowTheReply() {
        ParseResult r = PARSER.parse("t`se`t *bold* <@U1> " + "x".repeat(3000));
        assertThat(r).isInstanceOf(ParseResult.NotACommand.class);
        String problem = ((ParseResult.NotACommand) r).problem();
        assertThat(problem).isEqualTo("I don't know the command `t'se't`. Try `help`.");
        String env = NotFound.environment("e`vil`" + "y".repeat(500), Set.of("staging"));
        assertThat(env).startsWith("There is no environment `e'vil'yyyy").hasSizeLessThan(120);
        assertThat(env.chars().filter(c -> c == '`').count() % 2).as("code spans stay balanced").isZero();
    }

    @Test
    void aHugeWordAgainstManyNamesIsNotComparedAtAll() {
        List<String> names = IntStream.range(0, 20_000).mapToObj(i -> "branch-" + i).toList();
        long start = System.nanoTime();
        assertThat(DidYouMean.among("b".repeat(3900), names)).isEmpty();
        assertThat(DidYouMean.among("brnach-1999", names)).contains("branch-1999");
        assertThat(System.nanoTime() - start).as("well under a second").isLessThan(1_000_000_000L);
    }

    @Test
    void aLongIdTriggersNoLookupsAndAShortOneOnlyAFew() {
        AtomicInteger lookups = new AtomicInteger();
        assertThat(DidYouMean.requestIds("R123456789012345678", id -> lookups.incrementAndGet() > 0)).isEmpty();
        assertThat(lookups).hasValue(0);
        DidYouMean.requestIds("R12345678", id -> lookups.incrementAndGet() < 0);
        assertThat(lookups.get()).as("one lookup per slip of one digit").isLessThanOrEqualTo(15);
    }
}
