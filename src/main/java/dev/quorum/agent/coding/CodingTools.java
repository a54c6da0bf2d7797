package dev.quorum.agent.coding;

import dev.quorum.agent.loop.AgentTool;
import dev.quorum.agent.loop.Toolbox;
import dev.quorum.agent.workspace.CodingWorkspace;
import java.util.List;
import java.util.Optional;

/**
 * The six coding tools of one run, bound to its workspace: {@code list_files}, {@code read_file}, {@code write_file},
 * {@code search_code}, {@code run_tests}, {@code git_diff}. Confined to the run's thread.
 */
public final class CodingTools {

    private final Toolbox toolbox;
    private final RunTestsTool runTests;

    public CodingTools(String requestId, CodingWorkspace workspace, TestRunPort tests, CodingLimits limits) {
        this.runTests = new RunTestsTool(requestId, workspace, tests, limits.maxLogChars());
        List<AgentTool> tools = List.of(
                new ListFilesTool(workspace.files(), limits.maxListEntries()),
                new ReadFileTool(workspace.files(), limits.maxReadBytes()),
                new WriteFileTool(workspace.files(), limits.maxWriteBytes()),
                new SearchCodeTool(workspace.files(), limits),
                runTests,
                new GitDiffTool(workspace, limits.maxDiffChars()));
        this.toolbox = new Toolbox(tools);
    }

    public Toolbox toolbox() {
        return toolbox;
    }

    /** Quorum's evidence from the last {@code run_tests} call, if the model ran the tests. */
    public Optional<TestEvidence> latestEvidence() {
        return runTests.latest();
    }
}
