package dev.quorum.agent.research;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.quorum.agent.arxiv.ArxivClient;
import dev.quorum.agent.arxiv.ArxivEntry;
import dev.quorum.agent.loop.AgentTool;
import dev.quorum.agent.loop.ToolArguments;
import dev.quorum.agent.loop.ToolOutcome;
import java.io.IOException;
import java.util.List;

/** {@code search_arxiv(query)}: papers from arXiv with their abstracts, each numbered as a source. */
final class SearchArxivTool implements AgentTool {

    private static final ToolSpecification SPEC = ToolSpecification.builder()
            .name("search_arxiv")
            .description("Search arXiv for papers. Returns titles, authors and abstracts, each numbered [n] as a "
                    + "source you may cite.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("query", "keywords, or arXiv syntax such as 'ti:transformer AND au:vaswani'")
                    .required("query")
                    .build())
            .build();
    private static final int MAX_SUMMARY_CHARS = 1_200;

    private final ArxivClient arxiv;
    private final SourceLedger sources;

    SearchArxivTool(ArxivClient arxiv, SourceLedger sources) {
        this.arxiv = arxiv;
        this.sources = sources;
    }

    @Override
    public ToolSpecification specification() {
        return SPEC;
    }

    @Override
    public String progress(ToolArguments arguments) {
        return "searching arXiv for '" + arguments.string("query") + "'";
    }

    @Override
    public ToolOutcome execute(ToolArguments arguments) throws IOException {
        List<ArxivEntry> entries = arxiv.search(arguments.string("query"));
        if (entries.isEmpty()) {
            return new ToolOutcome.Ok("arXiv has no paper for that query.");
        }
        StringBuilder text = new StringBuilder();
        for (ArxivEntry entry : entries) {
            Source source = sources.register(Source.Kind.PAPER, entry.id(), entry.title());
            String summary = entry.summary().length() <= MAX_SUMMARY_CHARS ? entry.summary()
                    : entry.summary().substring(0, MAX_SUMMARY_CHARS) + " …";
            text.append(source.line()).append('\n')
                    .append("Authors: ").append(String.join(", ", entry.authors()))
                    .append(entry.published().isEmpty() ? "" : " · " + entry.published()).append('\n')
                    .append(summary).append("\n\n");
        }
        return new ToolOutcome.Ok(text.toString().stripTrailing());
    }
}
