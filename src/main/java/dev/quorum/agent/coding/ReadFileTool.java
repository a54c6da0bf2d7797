package dev.quorum.agent.coding;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.quorum.agent.loop.AgentTool;
import dev.quorum.agent.loop.ToolArguments;
import dev.quorum.agent.loop.ToolOutcome;
import dev.quorum.agent.workspace.ConfinedRoot;
import dev.quorum.agent.workspace.PathRefusedException;
import dev.quorum.agent.workspace.TextFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code read_file(path)} in the coding workspace: one text file, bounded. */
final class ReadFileTool implements AgentTool {

    private static final ToolSpecification SPEC = ToolSpecification.builder()
            .name("read_file")
            .description("Read a text file of the workspace. Long files are cut; the result says so.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("path", "file path relative to the workspace, e.g. 'src/main/java/App.java'")
                    .required("path")
                    .build())
            .build();

    private final ConfinedRoot files;
    private final int maxBytes;

    ReadFileTool(ConfinedRoot files, int maxBytes) {
        this.files = files;
        this.maxBytes = maxBytes;
    }

    @Override
    public ToolSpecification specification() {
        return SPEC;
    }

    @Override
    public String progress(ToolArguments arguments) {
        return "reading " + arguments.string("path");
    }

    @Override
    public ToolOutcome execute(ToolArguments arguments) throws IOException {
        String path = arguments.string("path");
        Path file;
        try {
            file = files.existing(path);
        } catch (PathRefusedException e) {
            return new ToolOutcome.Refused(e.getMessage());
        }
        if (Files.isDirectory(file)) {
            return new ToolOutcome.Failed("'" + path + "' is a directory; use list_files to see what is in it.");
        }
        TextFiles.Text text = TextFiles.read(file, maxBytes);
        return new ToolOutcome.Ok(text.truncated()
                ? text.text() + "\n… [cut: showing the first " + maxBytes + " of " + text.size() + " bytes]"
                : text.text());
    }
}
