package dev.quorum.agent.loop;

import dev.langchain4j.agent.tool.ToolSpecification;
import java.io.IOException;

/**
 * One tool a model may call. Instances are made per run (they may hold the run's source list), so they need not be
 * safe for concurrent use, but shared collaborators they call (the docs index, HTTP clients) must be.
 */
public interface AgentTool {

    /** Name, description and JSON schema of the arguments, as the model sees them. */
    ToolSpecification specification();

    default String name() {
        return specification().name();
    }

    /** A short status line for the requester, e.g. "reading src/App.java"; called before {@link #execute}. */
    String progress(ToolArguments arguments);

    /**
     * Runs the tool. Refusals and expected failures are returned as outcomes; an {@link IOException} is turned into a
     * {@link ToolOutcome.Failed} with its message by the loop.
     *
     * @throws ToolArguments.BadToolArgumentsException when an argument is missing or malformed
     */
    ToolOutcome execute(ToolArguments arguments) throws IOException;
}
