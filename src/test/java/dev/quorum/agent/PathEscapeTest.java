package dev.quorum.agent;

import static dev.quorum.agent.testing.FakeOpenAiServer.call;
import static dev.quorum.agent.testing.FakeOpenAiServer.text;
import static dev.quorum.agent.testing.FakeOpenAiServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.agent.coding.TestRunPort;
import dev.quorum.agent.testing.FakeOpenAiServer;
import dev.quorum.agent.testing.GitRepos;
import dev.quorum.agent.testing.Settings;
import dev.quorum.agent.transcript.ToolCall;
import dev.quorum.agent.workspace.CodingWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathEscapeTest {

    @TempDir
    Path temp;

    private static final TestRunPort NO_TESTS = (id, dir, commit) -> {
        throw new AssertionError("tests were not asked for");
    };

    @Test
    void escapesThroughDotDotAbsolutePathsAndSymlinksAreRefusedToldToTheModelAndRecorded() throws Exception {
        Path repo = temp.resolve("repo");
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "outside secret");
        GitRepos.createWithBranch(repo, Map.of("README.md", "# Demo\n"), "quorum/R9");
        Files.createSymbolicLink(repo.resolve("escape"), outside);

        try (FakeOpenAiServer model = FakeOpenAiServer.start();
             AgentRunner runner = AgentRunner.start(Settings.agents(Settings.openAi(model), List.of()));
             CodingWorkspace workspace = CodingWorkspace.open(repo, "main", CodingWorkspace.Committer.QUORUM)) {
            model.enqueue(toolCalls(
                            call("read_file", "{\"path\":\"../../etc/passwd\"}"),
                            call("read_file", "{\"path\":\"/etc/passwd\"}"),
                            call("read_file", "{\"path\":\"escape/secret.txt\"}"),
                            call("write_file", "{\"path\":\"escape/planted.txt\",\"content\":\"x\"}"),
                            call("list_files", "{\"path\":\"escape\"}"),
                            call("read_file", "{\"path\":\".git/config\"}")))
                    .enqueue(text("I could not read those."));

            CodingResult result = runner.code(CodingTask.of("R9", "console:mallory", "read the password file"),
                    Settings.generousBudget(), workspace, NO_TESTS, RunContext.detached());

            List<ToolCall> calls = result.transcript().stream()
                    .filter(ToolCall.class::isInstance).map(ToolCall.class::cast).toList();
            assertThat(calls).extracting(ToolCall::status).containsOnly(ToolCall.Status.REFUSED);
            assertThat(calls).extracting(ToolCall::result).containsExactly(
                    "'../../etc/passwd' leaves the workspace (through '..'); only paths inside it are allowed.",
                    "'/etc/passwd' is an absolute path; give a path relative to the workspace.",
                    "'escape/secret.txt' leads through a symbolic link to a place outside the workspace; only paths "
                            + "inside it are allowed.",
                    "'escape/planted.txt' is in a directory that leads through a symbolic link to a place outside the "
                            + "workspace; only paths inside it are allowed.",
                    "'escape' leads through a symbolic link to a place outside the workspace; only paths inside it "
                            + "are allowed.",
                    "'.git/config' is inside .git, which tools may not touch.");
            List<String> toldToModel = model.toolResultsIn(1);
            assertThat(toldToModel).hasSize(6);
            for (int i = 0; i < calls.size(); i++) {
                assertThat(toldToModel.get(i)).contains("· refused ·").contains(calls.get(i).result());
            }
            assertThat(toldToModel).noneMatch(t -> t.contains("outside secret") || t.contains("root:"));
            assertThat(outside.resolve("planted.txt")).doesNotExist();
        }
    }
}
