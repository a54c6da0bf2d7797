package dev.quorum.agent.coding;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.quorum.agent.loop.AgentTool;
import dev.quorum.agent.loop.ToolArguments;
import dev.quorum.agent.loop.ToolOutcome;
import dev.quorum.agent.workspace.CodingWorkspace;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code run_tests()}: commits the work so far (so the evidence names a real commit) and asks Quorum's evidence
 * runner to test it. Remembers the latest evidence for the run's result.
 */
final class RunTestsTool implements AgentTool {

    private static final ToolSpecification SPEC = ToolSpecification.builder()
            .name("run_tests")
            .description("Commit the work so far and run the project's test suite with Quorum's test runner. "
                    + "Returns the evidence line, the failing tests and the end of the build log.")
            .parameters(JsonObjectSchema.builder().build())
            .build();

    private final String requestId;
    private final CodingWorkspace workspace;
    private final TestRunPort tests;
    private final int maxLogChars;
    private TestEvidence latest;

    RunTestsTool(String requestId, CodingWorkspace workspace, TestRunPort tests, int maxLogChars) {
        this.requestId = requestId;
        this.workspace = workspace;
        this.tests = tests;
        this.maxLogChars = maxLogChars;
    }

    @Override
    public ToolSpecification specification() {
        return SPEC;
    }

    @Override
    public String progress(ToolArguments arguments) {
        return "running tests";
    }

    @Override
    public ToolOutcome execute(ToolArguments arguments) throws IOException {
        workspace.commitAll("quorum " + requestId + ": work in progress, before run_tests");
        String commit = workspace.headCommit();
        TestEvidence evidence = tests.runTests(requestId, workspace.files().root(), commit);
        latest = evidence;
        StringBuilder text = new StringBuilder(evidence.line());
        if (!evidence.failures().isEmpty()) {
            text.append("\nFailures:");
            evidence.failures().forEach(f -> text.append("\n- ").append(f));
        }
        if (!evidence.passed() && !evidence.logTail().isBlank()) {
            String tail = evidence.logTail();
            text.append("\nEnd of the build log:\n")
                    .append(tail.length() <= maxLogChars ? tail : tail.substring(tail.length() - maxLogChars));
        }
        return new ToolOutcome.Ok(text.toString());
    }

    /** The evidence of the last run_tests call in this run, if any. */
    Optional<TestEvidence> latest() {
        return Optional.ofNullable(latest);
    }
}
