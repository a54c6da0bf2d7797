package dev.quorum.agent.research;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.quorum.agent.loop.AgentTool;
import dev.quorum.agent.loop.ToolArguments;
import dev.quorum.agent.loop.ToolOutcome;
import dev.quorum.agent.web.FetchRefusedException;
import dev.quorum.agent.web.FetchedPage;
import dev.quorum.agent.web.UrlFetcher;
import java.io.IOException;

/** {@code fetch_url(url)}: a page from an allowlisted host, as text, numbered as a source. */
final class FetchUrlTool implements AgentTool {

    private static final ToolSpecification SPEC = ToolSpecification.builder()
            .name("fetch_url")
            .description("Fetch a web page (http or https) from a host on Quorum's allowlist and return its text. "
                    + "The page becomes a numbered source you may cite.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("url", "the full URL, e.g. 'https://docs.example.com/guide'")
                    .required("url")
                    .build())
            .build();

    private final UrlFetcher fetcher;
    private final SourceLedger sources;

    FetchUrlTool(UrlFetcher fetcher, SourceLedger sources) {
        this.fetcher = fetcher;
        this.sources = sources;
    }

    @Override
    public ToolSpecification specification() {
        return SPEC;
    }

    @Override
    public String progress(ToolArguments arguments) {
        return "fetching " + arguments.string("url");
    }

    @Override
    public ToolOutcome execute(ToolArguments arguments) throws IOException {
        FetchedPage page;
        try {
            page = fetcher.fetch(arguments.string("url"));
        } catch (FetchRefusedException e) {
            return new ToolOutcome.Refused(e.getMessage());
        }
        if (page.status() >= 400) {
            return new ToolOutcome.Failed(page.uri() + " answered HTTP " + page.status() + ".");
        }
        Source source = sources.register(Source.Kind.WEB_PAGE, page.uri().toString(), page.title());
        return new ToolOutcome.Ok(source.line() + "\n" + page.text()
                + (page.truncated() ? "\n… [cut at the size limit]" : ""));
    }
}
