package dev.quorum.agent.coding;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.quorum.agent.loop.AgentTool;
import dev.quorum.agent.loop.ToolArguments;
import dev.quorum.agent.loop.ToolOutcome;
import dev.quorum.agent.workspace.ConfinedRoot;
import dev.quorum.agent.workspace.TextFiles;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code search_code(query)}: case-insensitive literal search over the workspace's text files. */
final class SearchCodeTool implements AgentTool {

    private static final ToolSpecification SPEC = ToolSpecification.builder()
            .name("search_code")
            .description("Search the workspace's text files for a literal string, ignoring case. "
                    + "Returns matching lines as path:line: text.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("query", "the text to look for, e.g. a class or method name")
                    .required("query")
                    .build())
            .build();
    private static final int MAX_LINE_CHARS = 200;

    private final ConfinedRoot files;
    private final CodingLimits limits;

    SearchCodeTool(ConfinedRoot files, CodingLimits limits) {
        this.files = files;
        this.limits = limits;
    }

    @Override
    public ToolSpecification specification() {
        return SPEC;
    }

    @Override
    public String progress(ToolArguments arguments) {
        return "searching the code for '" + arguments.string("query") + "'";
    }

    @Override
    public ToolOutcome execute(ToolArguments arguments) throws IOException {
        String query = arguments.string("query");
        if (query.isBlank()) {
            return new ToolOutcome.Failed("search_code needs a non-empty query.");
        }
        String needle = query.toLowerCase(Locale.ROOT);
        List<String> hits = new ArrayList<>();
        Files.walkFileTree(files.root(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(files.root()) && TextFiles.SKIPPED_DIRECTORIES.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile() || attrs.size() > limits.maxSearchFileBytes()) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    String[] lines = TextFiles.read(file, limits.maxSearchFileBytes()).text().split("\n", -1);
                    for (int i = 0; i < lines.length; i++) {
                        if (lines[i].toLowerCase(Locale.ROOT).contains(needle)) {
                            if (hits.size() >= limits.maxSearchHits()) {
                                return FileVisitResult.TERMINATE;
                            }
                            hits.add(files.display(file) + ":" + (i + 1) + ": " + shorten(lines[i].strip()));
                        }
                    }
                } catch (IOException binaryOrUnreadable) {
                    // not text, or gone meanwhile: nothing to search
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        if (hits.isEmpty()) {
            return new ToolOutcome.Ok("No line contains '" + query + "'.");
        }
        String text = String.join("\n", hits);
        return new ToolOutcome.Ok(hits.size() >= limits.maxSearchHits()
                ? text + "\n… [stopped at " + limits.maxSearchHits() + " matches; search for something narrower]"
                : text);
    }

    private static String shorten(String line) {
        return line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS) + "…";
    }
}
