package dev.quorum.agent.coding;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.quorum.agent.loop.AgentTool;
import dev.quorum.agent.loop.ToolArguments;
import dev.quorum.agent.loop.ToolOutcome;
import dev.quorum.agent.workspace.CodingWorkspace;
import java.io.IOException;

/** {@code git_diff()}: everything the run changed so far, against the commit the branch started from. */
final class GitDiffTool implements AgentTool {

    private static final ToolSpecification SPEC = ToolSpecification.builder()
            .name("git_diff")
            .description("Show the unified diff of all your changes so far against the commit the branch started from.")
            .parameters(JsonObjectSchema.builder().build())
            .build();

    private final CodingWorkspace workspace;
    private final int maxChars;

    GitDiffTool(CodingWorkspace workspace, int maxChars) {
        this.workspace = workspace;
        this.maxChars = maxChars;
    }

    @Override
    public ToolSpecification specification() {
        return SPEC;
    }

    @Override
    public String progress(ToolArguments arguments) {
        return "reviewing the diff";
    }

    @Override
    public ToolOutcome execute(ToolArguments arguments) throws IOException {
        String diff = workspace.diffText(maxChars);
        return new ToolOutcome.Ok(diff.isEmpty() ? "No changes yet." : diff);
    }
}
