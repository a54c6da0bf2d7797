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
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** {@code list_files(path)}: the tree under a workspace path, without following links. */
final class ListFilesTool implements AgentTool {

    private static final ToolSpecification SPEC = ToolSpecification.builder()
            .name("list_files")
            .description("List the files and directories under a path of the workspace, recursively. "
                    + "Use '.' for the top. Skips .git, target and node_modules. Symbolic links are shown, not followed.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("path", "directory relative to the workspace, e.g. '.' or 'src/main'")
                    .required("path")
                    .build())
            .build();

    private final ConfinedRoot files;
    private final int maxEntries;

    ListFilesTool(ConfinedRoot files, int maxEntries) {
        this.files = files;
        this.maxEntries = maxEntries;
    }

    @Override
    public ToolSpecification specification() {
        return SPEC;
    }

    @Override
    public String progress(ToolArguments arguments) {
        return "listing " + arguments.string("path", ".");
    }

    @Override
    public ToolOutcome execute(ToolArguments arguments) throws IOException {
        String path = arguments.string("path", ".");
        Path start;
        try {
            start = files.existing(path);
        } catch (PathRefusedException e) {
            return new ToolOutcome.Refused(e.getMessage());
        }
        if (!Files.isDirectory(start)) {
            return new ToolOutcome.Failed("'" + path + "' is a file, not a directory; use read_file to read it.");
        }
        List<String> lines = new ArrayList<>();
        boolean[] cut = {false};
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(start) && TextFiles.SKIPPED_DIRECTORIES.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return dir.equals(start) ? FileVisitResult.CONTINUE : add(files.display(dir) + "/");
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String shown = files.display(file);
                return add(attrs.isSymbolicLink() ? shown + " -> (symbolic link, not followed)"
                        : shown + " (" + attrs.size() + " B)");
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return add(files.display(file) + " (unreadable)");
            }

            private FileVisitResult add(String line) {
                if (lines.size() >= maxEntries) {
                    cut[0] = true;
                    return FileVisitResult.TERMINATE;
                }
                lines.add(line);
                return FileVisitResult.CONTINUE;
            }
        });
        lines.sort(String::compareTo);
        if (lines.isEmpty()) {
            return new ToolOutcome.Ok("'" + path + "' is empty.");
        }
        String text = String.join("\n", lines);
        return new ToolOutcome.Ok(cut[0] ? text + "\n… [listing stopped at " + maxEntries
                + " entries; list a subdirectory to see more]" : text);
    }
}
