package dev.quorum.agent.research;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.quorum.agent.loop.AgentTool;
import dev.quorum.agent.loop.ToolArguments;
import dev.quorum.agent.loop.ToolOutcome;
import dev.quorum.agent.workspace.PathRefusedException;
import dev.quorum.agent.workspace.TextFiles;
import java.io.IOException;
import java.nio.file.Files;

/** {@code read_file(path)} for research: one file of the knowledge folders, numbered as a source. */
final class ReadKnowledgeFileTool implements AgentTool {

    private static final ToolSpecification SPEC = ToolSpecification.builder()
            .name("read_file")
            .description("Read a whole file of the team's documents, by the path search_docs shows "
                    + "(e.g. 'docs/guide.md'). The file becomes a numbered source you may cite.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("path", "path as search_docs shows it, starting with the folder name")
                    .required("path")
                    .build())
            .build();

    private final KnowledgeFiles files;
    private final SourceLedger sources;
    private final int maxBytes;

    ReadKnowledgeFileTool(KnowledgeFiles files, SourceLedger sources, int maxBytes) {
        this.files = files;
        this.sources = sources;
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
        KnowledgeFiles.Found found;
        try {
            found = files.resolve(arguments.string("path"));
        } catch (PathRefusedException e) {
            return new ToolOutcome.Refused(e.getMessage());
        }
        if (Files.isDirectory(found.file())) {
            return new ToolOutcome.Failed("'" + found.locator() + "' is a folder; use search_docs to find files in it.");
        }
        TextFiles.Text text = TextFiles.read(found.file(), maxBytes);
        Source source = sources.register(Source.Kind.FILE, found.locator(), found.file().getFileName().toString());
        return new ToolOutcome.Ok(source.line() + "\n" + text.text()
                + (text.truncated() ? "\n… [cut: first " + maxBytes + " of " + text.size() + " bytes]" : ""));
    }
}
