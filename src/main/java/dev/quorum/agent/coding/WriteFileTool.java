package dev.quorum.agent.coding;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.quorum.agent.loop.AgentTool;
import dev.quorum.agent.loop.ToolArguments;
import dev.quorum.agent.loop.ToolOutcome;
import dev.quorum.agent.workspace.ConfinedRoot;
import dev.quorum.agent.workspace.PathRefusedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code write_file(path, content)}: creates or replaces one text file in the workspace. */
final class WriteFileTool implements AgentTool {

    private static final ToolSpecification SPEC = ToolSpecification.builder()
            .name("write_file")
            .description("Create or replace a text file in the workspace with the complete new content. "
                    + "Missing parent directories are created.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("path", "file path relative to the workspace")
                    .addStringProperty("content", "the whole new content of the file")
                    .required("path", "content")
                    .build())
            .build();

    private final ConfinedRoot files;
    private final int maxBytes;

    WriteFileTool(ConfinedRoot files, int maxBytes) {
        this.files = files;
        this.maxBytes = maxBytes;
    }

    @Override
    public ToolSpecification specification() {
        return SPEC;
    }

    @Override
    public String progress(ToolArguments arguments) {
        return "editing " + arguments.string("path");
    }

    @Override
    public ToolOutcome execute(ToolArguments arguments) throws IOException {
        String path = arguments.string("path");
        byte[] content = arguments.string("content").getBytes(StandardCharsets.UTF_8);
        if (content.length > maxBytes) {
            return new ToolOutcome.Refused("The content is " + content.length + " bytes; write_file accepts at most "
                    + maxBytes + " bytes per file.");
        }
        Path target;
        try {
            target = files.forWriting(path);
        } catch (PathRefusedException e) {
            return new ToolOutcome.Refused(e.getMessage());
        }
        boolean existed = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        Files.createDirectories(target.getParent());
        // NOFOLLOW_LINKS: never write through a link, even one that appeared after the check
        Files.write(target, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        return new ToolOutcome.Ok((existed ? "Replaced " : "Created ") + files.display(target) + " ("
                + content.length + " bytes).");
    }
}
