package dev.quorum.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.agent.ResearchResult;
import dev.quorum.agent.RunOutcome;
import dev.quorum.agent.Usage;
import dev.quorum.agent.research.Fences;
import dev.quorum.agent.research.Source;
import dev.quorum.conversation.Reply;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** How a research report reaches chat: whole in the console, cut elsewhere with the way to the rest. */
class AgentRepliesTest {

    private static final String PAGE = "https://quorum.example/#/requests/R7";
    private static final String SOURCES = "\n\nSources\n[1] docs/deploy.md:1-40 — Deploying";

    private static Reply reply(String report, String adapter) {
        return reply(report, adapter, UnaryOperator.identity());
    }

    private static Reply reply(String report, String adapter, UnaryOperator<String> clean) {
        ResearchResult result = new ResearchResult("R7", new RunOutcome.Completed(), report,
                List.of(new Source(1, Source.Kind.DOCUMENT_PASSAGE, "docs/deploy.md:1-40", "Deploying")), List.of(),
                true, Usage.NONE, List.of());
        return AgentReplies.research("R7", result, Reply.Tone.SUCCESS, clean, adapter.equals("console"), PAGE);
    }

    @Test
    void theConsoleShowsTheWholeReportHoweverLong() {
        String report = "Staging deploys need one approval [1].\n".repeat(300) + SOURCES;

        Reply reply = reply(report, "console");

        assertThat(reply.text()).isEqualTo("R7 · research report\n\n" + report);
    }

    @Test
    void otherAdaptersGetTheBeginningThePageAndTheSources() {
        String report = "Staging deploys need one approval [1].\n".repeat(300) + SOURCES;

        Reply reply = reply(report, "slack");

        assertThat(reply.text()).startsWith("R7 · research report\n\nStaging deploys need one approval [1].\n")
                .endsWith("\n\n… (the whole report, " + report.length() + " characters, is on its page: " + PAGE + ")"
                        + SOURCES)
                .doesNotContain("in the console");
        assertThat(reply.text().length()).isLessThanOrEqualTo(AgentReplies.MAX_REPORT_CHARS + 40);
    }

    @Test
    void aCutThroughACodeBlockClosesItBeforeTheNote() {
        String code = "```java\n" + "    int answer = 42; // [1] is code here\n".repeat(120) + "```";
        String report = "The answer is in the code [1].\n\n[1] docs/Answer.java, lines 1–120\n" + code + SOURCES;

        String text = reply(report, "slack").text();

        assertThat(text).contains("    int answer = 42; // [1] is code here\n```\n\n… (the whole report, ")
                .endsWith(SOURCES);
        assertThat(Fences.closed(text)).isEqualTo(text);
    }

    @Test
    void aSecretAcrossTheCutIsMaskedWholeBeforeTheCut() {
        String secret = "sk-live-0123456789abcdef0123456789abcdef";
        String report = "lorem ".repeat(438) + secret + " " + "ipsum ".repeat(300) + SOURCES;
        assertThat(reply(report, "slack").text()).as("unmasked, the cut would leave half of it")
                .contains(secret.substring(0, 8)).doesNotContain(secret);

        String text = reply(report, "slack", s -> s.replace(secret, "[REDACTED]")).text();

        assertThat(text).contains("lorem lorem").doesNotContain(secret.substring(0, 8)).contains("is on its page: ");
    }

    @Test
    void aShortReportIsWholeEverywhere() {
        String report = "Staging deploys need one approval [1]." + SOURCES;

        assertThat(reply(report, "slack").text()).isEqualTo("R7 · research report\n\n" + report);
        assertThat(reply(report, "discord").text()).isEqualTo(reply(report, "console").text());
    }
}
