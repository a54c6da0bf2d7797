package dev.quorum.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.agent.research.RetrievalReport;
import dev.quorum.agent.research.Source;
import dev.quorum.agent.search.IndexSettings;
import dev.quorum.agent.search.KnowledgeFolder;
import dev.quorum.agent.testing.Settings;
import dev.quorum.agent.work.RepoSnapshots;
import dev.quorum.repo.DemoRepository;
import dev.quorum.repo.RepoHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Research with no model configured, through the real docs index: an extractive answer first, each line cited, then
 * the cited passages cut to what matters (code fenced, prose as text), then the Sources.
 */
class RetrievalOnlyResearchTest {

    @TempDir
    Path dir;

    private ResearchResult ask(List<KnowledgeFolder> folders, String question) throws Exception {
        try (AgentRunner runner = AgentRunner.start(Settings.agents(null, folders))) {
            return runner.research(ResearchTask.of("R3", "console:alice", question), Settings.generousBudget(),
                    RunContext.detached());
        }
    }

    private List<KnowledgeFolder> handbook() throws Exception {
        Path handbook = Files.createDirectories(dir.resolve("handbook"));
        Files.writeString(handbook.resolve("deploy.md"), """
                # Deploying

                Staging deploys need one approval from an engineer. Production deploys need two approvals, one of them from on-call.

                ## Rolling back

                Roll back with `deploy production --ref v1.4.2`, naming the previous release tag. A rollback needs the same
                approvals as a deploy, and a failed rollback is never retried by itself.

                ```sh
                deploy production --ref v1.4.2
                ```
                """);
        Files.writeString(handbook.resolve("retry.py"), """
                \"""Retries for flaky deploy steps.\"""

                import time

                MAX_ATTEMPTS = 3


                def with_retries(step):
                    \"""Runs a deploy step, retrying it when it fails, at most MAX_ATTEMPTS times in all.\"""
                    for attempt in range(1, MAX_ATTEMPTS + 1):
                        try:
                            return step()
                        except OSError:
                            if attempt == MAX_ATTEMPTS:
                                raise
                            time.sleep(2 ** attempt)
                """);
        return List.of(new KnowledgeFolder("handbook", handbook));
    }

    @Test
    void theAnswerQuotesTheBestLinesOfEachFileCitedThenTheirContextThenTheSources() throws Exception {
        ResearchResult result = ask(handbook(), "How often is a failed deploy step retried?");

        assertThat(result.retrievalOnly()).isTrue();
        assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed());
        assertThat(result.unverifiedCitations()).isEmpty();
        assertThat(result.usage()).isEqualTo(Usage.NONE);
        assertThat(result.report()).isEqualTo("""
                - `""\"Runs a deploy step, retrying it when it fails, at most MAX_ATTEMPTS times in all.""\"` (retry.py, line 9) [1]
                - A rollback needs the same approvals as a deploy, and a failed rollback is never retried by itself. [2]
                - `""\"Retries for flaky deploy steps.""\"` (retry.py, line 1) [1]
                - `def with_retries(step):` (retry.py, line 8) [1]

                %s

                [1] handbook/retry.py, lines 1–11
                ```python
                 1  ""\"Retries for flaky deploy steps.""\"
                 2
                 3  import time
                    …
                 8  def with_retries(step):
                 9      ""\"Runs a deploy step, retrying it when it fails, at most MAX_ATTEMPTS times in all.""\"
                10      for attempt in range(1, MAX_ATTEMPTS + 1):
                11          try:
                ```

                [2] handbook/deploy.md, lines 7–8
                Roll back with `deploy production --ref v1.4.2`, naming the previous release tag. A rollback needs the same
                approvals as a deploy, and a failed rollback is never retried by itself.

                Sources
                [1] handbook/retry.py:1-17 — retry.py
                [2] handbook/deploy.md:1-13 — Deploying""".formatted(RetrievalReport.RETRIEVAL_ONLY));
    }

    @Test
    void proseTheAnswerQuotesWholeIsNotQuotedTwice() throws Exception {
        ResearchResult result = ask(handbook(), "who approves a production deploy?");

        assertThat(result.report()).isEqualTo("""
                - Production deploys need two approvals, one of them from on-call. [1]
                - Staging deploys need one approval from an engineer. [1]

                %s

                Sources
                [1] handbook/deploy.md:1-13 — Deploying""".formatted(RetrievalReport.RETRIEVAL_ONLY));
    }

    @Test
    void aQuestionNothingAnswersSaysSoAndCitesNothing() throws Exception {
        ResearchResult result = ask(handbook(), "what is the office wifi password?");

        assertThat(result.report()).isEqualTo("Nothing in the team's documents matches the question.\n\n"
                + RetrievalReport.RETRIEVAL_ONLY);
        assertThat(result.sources()).isEmpty();
    }

    @Test
    void theToursQuestionIsAnsweredFromTheDemoRepositorysCodeFencedAndCited() throws Exception {
        Path bare = dir.resolve("repos/demo");
        DemoRepository.createIfMissing(bare);
        RepoSnapshots copies = new RepoSnapshots(Map.of("demo", new RepoSnapshots.Source(RepoHosts.local("demo", bare), "main")),
                dir.resolve("copies"), IndexSettings.DEFAULTS.maxFileBytes());
        copies.refresh();

        ResearchResult result = ask(copies.folders(), "how does the greeter greet strangers?");

        String report = result.report();
        List<String> lines = report.lines().toList();
        assertThat(lines.getFirst()).startsWith("- `").contains("\"Hello, stranger\"").containsPattern(" \\[\\d]$");
        int first = Integer.parseInt(lines.getFirst().replaceAll(".* \\[(\\d)]$", "$1"));
        assertThat(result.sources().get(first - 1).locator()).matches("demo/src/(main|test)/java/demo/Greeter(Test)?"
                + "\\.java:\\d+-\\d+");
        assertThat(lines).contains("- `return \"Hello, stranger\";` (Greeter.java, line 7) [2]");
        assertThat(report).contains(RetrievalReport.RETRIEVAL_ONLY)
                .contains("""
                        [2] demo/src/main/java/demo/Greeter.java, lines 5–9
                        ```java
                        5  public String greet(String name) {
                        6      if (name == null || name.isBlank()) {
                        7          return "Hello, stranger";
                        8      }
                        9      return "Hello, " + name.strip();
                        ```""")
                .doesNotContain("> ", "package demo;", "import org.junit");
        assertThat(result.unverifiedCitations()).isEmpty();
        assertThat(report.substring(report.indexOf("\nSources\n"))).contains(
                result.sources().stream().map(Source::line).toArray(String[]::new));
    }
}
