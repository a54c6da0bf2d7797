package dev.quorum.agent.research;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.quorum.agent.loop.AgentTool;
import dev.quorum.agent.loop.ToolArguments;
import dev.quorum.agent.loop.ToolOutcome;
import dev.quorum.agent.search.DocsIndex;
import dev.quorum.agent.search.Passage;
import java.io.IOException;
import java.util.List;

/** {@code search_docs(query)}: the best passages of the team's docs and repos, each numbered as a source. */
final class SearchDocsTool implements AgentTool {

    private static final ToolSpecification SPEC = ToolSpecification.builder()
            .name("search_docs")
            .description("Search the team's documents and repositories (full-text, ranked). Returns the best "
                    + "passages, each numbered [n] as a source you may cite.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("query", "keywords, e.g. 'deploy staging rollback'")
                    .required("query")
                    .build())
            .build();

    private final DocsIndex index;
    private final SourceLedger sources;
    private final int maxPassages;
    private final int maxPassageChars;

    SearchDocsTool(DocsIndex index, SourceLedger sources, int maxPassages, int maxPassageChars) {
        this.index = index;
        this.sources = sources;
        this.maxPassages = maxPassages;
        this.maxPassageChars = maxPassageChars;
    }

    @Override
    public ToolSpecification specification() {
        return SPEC;
    }

    @Override
    public String progress(ToolArguments arguments) {
        return "searching docs for '" + arguments.string("query") + "'";
    }

    @Override
    public ToolOutcome execute(ToolArguments arguments) throws IOException {
        String query = arguments.string("query");
        List<Passage> passages = index.search(query, maxPassages);
        if (passages.isEmpty()) {
            return new ToolOutcome.Ok("No passage matches '" + query + "'. Try other words.");
        }
        StringBuilder text = new StringBuilder();
        for (Passage passage : passages) {
            Source source = sources.register(Source.Kind.DOCUMENT_PASSAGE, passage.locator(), passage.title());
            String body = passage.text().length() <= maxPassageChars ? passage.text()
                    : passage.text().substring(0, maxPassageChars) + " …";
            text.append(source.line()).append('\n').append(body).append("\n\n");
        }
        return new ToolOutcome.Ok(text.toString().stripTrailing());
    }
}
