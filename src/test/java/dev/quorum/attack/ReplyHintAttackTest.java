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
        AtomicInteger read = new AtomicInteger();
        java.util.Collection<String> counted = new java.util.AbstractCollection<>() { // counts the names compared
            @Override
            public java.util.Iterator<String> iterator() {
                java.util.Iterator<String> all = names.iterator();
                return new java.util.Iterator<>() {
                    public boolean hasNext() { return all.hasNext(); }
                    public String next() { read.incrementAndGet(); return all.next(); }
                };
            }

            @Override
            public int size() { return names.size(); }
        };
        assertThat(DidYouMean.among("b".repeat(3900), counted)).isEmpty();
        assertThat(read).as("a word too long to be a slip is compared with no name").hasValue(0);
        assertThat(DidYouMean.among("brnach-1999", counted)).contains("branch-1999");
        assertThat(read).as("an ordinary slip is compared with each name once").hasValue(names.size());
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
