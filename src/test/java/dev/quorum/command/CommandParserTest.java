package dev.quorum.command;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CommandParserTest {
    private static final CommandParser PARSER = new CommandParser(Set.of("demo", "web"));

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("a bare mention asks for help", "@quorum", new Command.Help(null)),
                Arguments.of("help", "help", new Command.Help(null)),
                Arguments.of("help on one command", "help merge", new Command.Help("merge")),
                Arguments.of("commands ignore case", "HELP", new Command.Help(null)),
                Arguments.of("a slash prefix is stripped", "/quorum status", new Command.Status(null)),
                Arguments.of("research keeps the whole question", "research  why is   the sky blue?", new Command.Research("why is   the sky blue?")),
                Arguments.of("code without repo", "code add a ping endpoint", new Command.Code(null, null, "add a ping endpoint")),
                Arguments.of("code in a known repo", "code in demo fix the typo", new Command.Code("demo", null, "fix the typo")),
                Arguments.of("code 'in' an unknown word is part of the task", "code in the README fix typos", new Command.Code(null, null, "in the README fix typos")),
                Arguments.of("code with a budget", "code --budget 2.50 refactor", new Command.Code(null, new BigDecimal("2.50"), "refactor")),
                Arguments.of("code with repo and budget", "code in web --budget $3 add tests", new Command.Code("web", new BigDecimal("3"), "add tests")),
                Arguments.of("test alone", "test", new Command.Test(null, null)),
                Arguments.of("test a repo", "test demo", new Command.Test("demo", null)),
                Arguments.of("test a ref of the default repo", "test feature/greeting", new Command.Test(null, "feature/greeting")),
                Arguments.of("test a repo at a ref", "test demo a1b2c3d", new Command.Test("demo", "a1b2c3d")),
                Arguments.of("merge a branch", "merge feature/greeting", new Command.Merge("feature/greeting", null)),
                Arguments.of("merge a request into a target", "merge r12 into release/1.x", new Command.Merge("R12", "release/1.x")),
                Arguments.of("test a pull request of the default repo", "test #12", new Command.Test(null, "#12")),
                Arguments.of("test a pull request of a repo", "test web #12", new Command.Test("web", "#12")),
                Arguments.of("merge a pull request", "merge #123", new Command.Merge("#123", null)),
                Arguments.of("merge a pull request into its base, named", "merge #7 into main", new Command.Merge("#7", "main")),
                Arguments.of("deploy an environment", "deploy staging", new Command.Deploy("staging", null)),
                Arguments.of("deploy a ref", "deploy production v1.2.0", new Command.Deploy("production", "v1.2.0")),
                Arguments.of("approve", "approve R7", new Command.Approve("R7")),
                Arguments.of("reject with a reason", "reject R7 needs a migration first", new Command.Reject("R7", "needs a migration first")),
                Arguments.of("reject without reason", "reject R7", new Command.Reject("R7", null)),
                Arguments.of("history", "history", new Command.History(null, 10)),
                Arguments.of("history mine last 5", "history mine last 5", new Command.History("mine", 5)),
                Arguments.of("history of someone", "history @bob", new Command.History("bob", 10)),
                Arguments.of("history of an identity", "history @slack:U024BE7LH last 3", new Command.History("slack:U024BE7LH", 3)),
                Arguments.of("cancel", "cancel R3", new Command.Cancel("R3")),
                Arguments.of("rerun", "rerun R9", new Command.Rerun("R9")),
                Arguments.of("freeze with a reason", "freeze incident 4711", new Command.Freeze("incident 4711")),
                Arguments.of("freeze without reason", "freeze", new Command.Freeze(null)),
                Arguments.of("unfreeze", "unfreeze", new Command.Unfreeze()),
                Arguments.of("incident", "incident r31 checkout returns 500", new Command.Incident("R31", "checkout returns 500")),
                Arguments.of("digest", "digest", new Command.Digest(Command.Digest.Period.WEEK)),
                Arguments.of("digest of a week", "digest week", new Command.Digest(Command.Digest.Period.WEEK)),
                Arguments.of("digest of a month", "Digest MONTH", new Command.Digest(Command.Digest.Period.MONTH)),
                Arguments.of("policy", "policy", new Command.Policy(null)),
                Arguments.of("policy of deploy to an environment", "policy deploy production", new Command.Policy("deploy.production")),
                Arguments.of("policy in dotted form", "policy deploy.staging", new Command.Policy("deploy.staging")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesEveryCommandOfTheSpec(String name, String text, Command expected) {
        assertThat(PARSER.parse(text)).isEqualTo(new ParseResult.Parsed(expected));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("research without question", "research", "What should I research?", "research <question>"),
                Arguments.of("a ref with shell metacharacters", "test main;rm -rf /", "`test` takes at most a repo and a ref.", "test [<repo>] [<ref>]"),
                Arguments.of("a ref with command substitution", "test $(whoami)", "`$(whoami)` is not a valid git ref (branch, tag or commit SHA).", "test [<repo>] [<ref>]"),
                Arguments.of("a ref with a backtick", "test demo ma`in", "`ma'in` is not a valid git ref (branch, tag or commit SHA).", "test [<repo>] [<ref>]"),
                Arguments.of("a ref climbing up", "test ../../etc", "`../../etc` is not a valid git ref (branch, tag or commit SHA).", "test [<repo>] [<ref>]"),
                Arguments.of("two words of which the first is no repo", "test nope main", "There is no repo `nope`. Repos: demo, web.", "test [<repo>] [<ref>]"),
                Arguments.of("a typo of a repo", "test dmeo main", "There is no repo `dmeo`. Did you mean `demo`? Repos: demo, web.", "test [<repo>] [<ref>]"),
                Arguments.of("approve without id", "approve", "Which request? Give its id, such as `R12`.", "approve <id>"),
                Arguments.of("approve a non-id", "approve feature/x", "`feature/x` is not a request id; ids look like `R12`.", "approve <id>"),
                Arguments.of("approve with extra words", "approve R1 now", "`approve` takes only a request id.", "approve <id>"),
                Arguments.of("merge without source", "merge", "What should I merge? Give a request id or a branch.", "merge <id or branch> [into <target>]"),
                Arguments.of("merge with a bad connector", "merge a onto b", "Name the target after `into`.", "merge <id or branch> [into <target>]"),
                Arguments.of("a pull request numbered zero", "test #0", "`#0` is not a pull request; pull requests look like `#123`.", "test [<repo>] [<ref>]"),
                Arguments.of("a pull request with letters", "test web #12a", "`#12a` is not a pull request; pull requests look like `#123`.", "test [<repo>] [<ref>]"),
                Arguments.of("a pull request number too long", "merge #1234567890", "`#1234567890` is not a pull request; pull requests look like `#123`.", "merge <id or branch> [into <target>]"),
                Arguments.of("a pull request with a leading zero", "merge #012", "`#012` is not a pull request; pull requests look like `#123`.", "merge <id or branch> [into <target>]"),
                Arguments.of("a hash alone", "merge #", "`#` is not a pull request; pull requests look like `#123`.", "merge <id or branch> [into <target>]"),
                Arguments.of("a pull request as a target", "merge feature into #12", "`#12` is not a valid git ref (branch, tag or commit SHA).", "merge <id or branch> [into <target>]"),
                Arguments.of("a pull request to deploy", "deploy staging #12", "`#12` is not a valid git ref (branch, tag or commit SHA).", "deploy <environment> [<ref>]"),
                Arguments.of("deploy without environment", "deploy", "Which environment?", "deploy <environment> [<ref>]"),
                Arguments.of("history with a bad count", "history last 0", "`last` needs a number from 1 to 50.", "history [mine | @someone] [last <n>]"),
                Arguments.of("history with junk", "history everything", "I don't understand `everything` here.", "history [mine | @someone] [last <n>]"),
                Arguments.of("code with a bad budget", "code --budget lots do it", "`--budget` needs an amount in USD, such as `--budget 2.50`.", "code [in <repo>] [--budget <usd>] <task>"),
                Arguments.of("code with only a budget", "code --budget 2", "What should the coding agent do?", "code [in <repo>] [--budget <usd>] <task>"),
                Arguments.of("help on an unknown command", "help fly", "There is no command `fly`.", "help [<command>]"),
                Arguments.of("help on a typo", "help mrege", "There is no command `mrege`. Did you mean `merge`?", "help [<command>]"),
                Arguments.of("unfreeze with words", "unfreeze now", "`unfreeze` takes no arguments.", "unfreeze"),
                Arguments.of("incident without an id", "incident", "Which deploy failed? Give its id, such as `R12`.", "incident <deploy id> <text>"),
                Arguments.of("incident without a text", "incident R31", "What went wrong? Say it after the id: `incident R31 checkout returns 500`.", "incident <deploy id> <text>"),
                Arguments.of("digest of a year", "digest year", "`year` is not a period. Say `digest week` (the last 7 days) or `digest month` (the last 30 days).", "digest [week|month]"),
                Arguments.of("digest of a typo", "digest mnth", "`mnth` is not a period. Did you mean `month`? Say `digest week` (the last 7 days) or `digest month` (the last 30 days).", "digest [week|month]"),
                Arguments.of("digest of two periods", "digest week month", "`digest` takes at most one period: `week` or `month`.", "digest [week|month]"),
                Arguments.of("policy of nonsense", "policy launch rockets", "`launch rockets` is not an action. Actions are `merge`, `deploy` and `deploy <environment>`.", "policy [<action>]"),
                Arguments.of("policy of a typo", "policy deplyo", "`deplyo` is not an action. Did you mean `deploy`? Actions are `merge`, `deploy` and `deploy <environment>`.", "policy [<action>]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void badArgumentsGetTheProblemAndTheUsage(String name, String text, String problem, String usage) {
        assertThat(PARSER.parse(text)).isEqualTo(new ParseResult.Invalid(problem, usage));
    }

    static Stream<Arguments> notCommands() {
        return Stream.of(
                Arguments.of("an unknown word", "frobnicate staging", "I don't know the command `frobnicate`. Try `help`."),
                Arguments.of("a Slack mention is the Slack adapter's to strip", "<@U0QUORUM> status R7",
                        "I don't know the command `<@u0quorum>`. Try `help`."),
                Arguments.of("a quoted command does nothing", "> approve R7", "Quoted text is not a command."),
                Arguments.of("a quoted command after a mention", "@quorum > approve R7", "Quoted text is not a command."),
                Arguments.of("chatter", "looks good to me", "I don't know the command `looks`. Try `help`."),
                Arguments.of("a huge message", "x".repeat(CommandParser.MAX_LENGTH + 1), "That message is too long for a command (over 4000 characters)."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notCommands")
    void textThatIsNoCommandIsSaidSo(String name, String text, String problem) {
        assertThat(PARSER.parse(text)).isEqualTo(new ParseResult.NotACommand(problem));
    }

    static Stream<Arguments> typos() {
        return Stream.of(
                Arguments.of("two letters swapped", "tset", "test", "test [<repo>] [<ref>]"),
                Arguments.of("a letter wrong", "deploz staging", "deploy", "deploy <environment> [<ref>]"),
                Arguments.of("a letter missing", "aprove R7", "approve", "approve <id>"),
                Arguments.of("a letter too many", "statuss", "status", "status [<id>]"),
                Arguments.of("the start of a command", "hist mine", "history", "history [mine | @someone] [last <n>]"),
                Arguments.of("in capitals", "TSET", "test", "test [<repo>] [<ref>]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typos")
    void aTypoOfACommandGetsDidYouMeanAndThatCommandsUsage(String name, String text, String meant, String usage) {
        String word = text.split(" ")[0].toLowerCase(java.util.Locale.ROOT);
        assertThat(PARSER.parse(text)).isEqualTo(new ParseResult.NotACommand(
                "I don't know the command `" + word + "`. Did you mean `" + meant + "`?", usage));
    }

    @Test
    void aWordFarFromEveryCommandGetsNoGuess() {
        for (String far : List.of("looks", "frobnicate", "hello", "thanks", "lgtm", "ok")) {
            assertThat(PARSER.parse(far)).as(far).isEqualTo(new ParseResult.NotACommand("I don't know the command `" + far + "`. Try `help`."));
        }
    }

    @Property(tries = 3000)
    void neverThrowsOnAnyText(@ForAll @StringLength(max = 300) String text) {
        assertThat(PARSER.parse(text)).isNotNull();
    }

    @Property(tries = 3000)
    void neverThrowsOnCommandLikeText(@ForAll("commandLike") String text) {
        ParseResult r = PARSER.parse(text);
        assertThat(r).isNotNull();
        if (r instanceof ParseResult.Invalid i) assertThat(i.usage()).isNotBlank();
    }

    @Property(tries = 1000)
    void everyParsedRefIsSafeForGit(@ForAll("commandLike") String text) {
        if (PARSER.parse(text) instanceof ParseResult.Parsed(Command.Test(var repo, var ref)) && ref != null) {
            assertThat(ref).doesNotContain(";", "$", "`", "|", "&", " ", "..", "\n");
            assertThat(GitRefs.isPlausible(ref) || dev.quorum.repo.RefName.pullRequest(ref).isPresent()).as(ref).isTrue();
        }
    }

    @Provide
    Arbitrary<String> commandLike() {
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.of("help", "research", "code", "test", "merge", "deploy", "approve", "reject", "status",
                        "history", "cancel", "rerun", "freeze", "unfreeze", "policy", "in", "into", "last", "mine",
                        "--budget", "demo", "R1", "r99", "@bob", "main", ">", "@quorum", "/quorum", "<@U1>", "#12", "#0", "#"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(6));
        return word.list().ofMaxSize(8).map(ws -> String.join(" ", ws));
    }
}
