package dev.quorum.agent.work;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.conversation.Reply;
import dev.quorum.command.RequestDetails;
import dev.quorum.request.Request;
import dev.quorum.request.RequestFacet;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import dev.quorum.config.QuorumConfig;
import dev.quorum.repo.DiffRange;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An agent request as {@code GET /api/requests/{id}} shows it ({@code transcript}: every model and tool call;
 * {@code result}: the report or the coding result) and as {@code status <id>} adds to it (settings, usage, outcome,
 * branch). Other requests get an empty transcript and no result. Thread-safe; reads Redis.
 */
public final class AgentViews implements RequestDetails {
    private final AgentRunStore store;
    private final RequestStore requests;
    private final QuorumConfig config;
    private final RepoHosts hosts;

    public AgentViews(AgentRunStore store, RequestStore requests, QuorumConfig config, RepoHosts hosts) {
        this.hosts = hosts;
        this.store = store;
        this.requests = requests;
        this.config = config;
    }

    /**
     * A coding run's change: the commit it started from to its branch's head now (the commit it recorded when the
     * branch is gone). Empty until it has a result, when nothing changed, and when the repository is no longer
     * configured.
     */
    public Optional<DiffRange> diffRange(Request r) {
        if (r.type() != RequestType.CODE) return Optional.empty();
        return store.result(r.id()).map(AgentJson::parse).flatMap(result -> {
            String repo = result.path("repo").asText(null);
            String base = result.path("base_commit").asText(null);
            String commit = result.path("commit").asText(null);
            String branch = result.path("branch").asText(null);
            if (repo == null || base == null || commit == null || !config.repos().containsKey(repo)) return Optional.empty();
            String head = commit;
            try {
                if (branch != null) head = hosts.get(repo).head(branch).map(Sha::hex).orElse(commit);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String baseRef = requests.inputs(r.id()).getOrDefault("base_ref", "the base");
            return Optional.of(new DiffRange(repo, base, baseRef + " when the run began", head, branch == null ? "the run's commit" : branch,
                    head.equals(commit) ? null : branch + " moved on since the run (from " + Sha.abbrev(commit) + "); this is its head now."));
        });
    }

    private static boolean isAgentWork(Request r) {
        return r.type() == RequestType.RESEARCH || r.type() == RequestType.CODE;
    }

    /** The facets {@code transcript} and {@code result}. */
    public List<RequestFacet> facets() {
        return List.of(new Facet("transcript", r -> isAgentWork(r)
                        ? store.transcript(r.id()).stream().map(AgentJson::parse).toList() : List.of()),
                new Facet("result", r -> isAgentWork(r) ? store.result(r.id()).map(AgentJson::parse).orElse(null) : null));
    }

    @Override
    public List<Reply.Field> fieldsFor(Request r) {
        if (!isAgentWork(r)) return List.of();
        List<Reply.Field> fields = new ArrayList<>();
        Map<String, String> in = requests.inputs(r.id());
        if (in.containsKey("budget_max_cost")) {
            RunSettings settings = RunSettings.fromInputs(in);
            fields.add(new Reply.Field("model", settings.model().map(ModelChoice::describe).orElse("none")));
            fields.add(new Reply.Field("budget", settings.describeBudget()));
        }
        UsageSoFar usage = store.usage(r.id());
        if (usage.attempts() > 0) {
            fields.add(new Reply.Field("used", usage.modelCalls() + " model calls, " + (usage.tokensIn() + usage.tokensOut())
                    + " tokens, $" + String.format(Locale.ROOT, "%.4f", usage.costUsd())
                    + (usage.attempts() > 1 ? ", " + usage.attempts() + " attempts" : "")));
        }
        store.result(r.id()).map(AgentJson::parse).ifPresent(result -> {
            fields.add(new Reply.Field("outcome", result.path("outcome_text").asText()));
            if (result.hasNonNull("branch") && !result.path("commit").asText().equals(result.path("base_commit").asText())) {
                fields.add(new Reply.Field("branch", result.path("branch").asText() + " at "
                        + shortSha(result.path("commit")) + " (" + result.path("diff_stat").path("insertions").asInt()
                        + "+ " + result.path("diff_stat").path("deletions").asInt() + "−)"));
            }
        });
        return fields;
    }

    private static String shortSha(JsonNode sha) {
        String s = sha.asText();
        return Sha.abbrev(s);
    }

    /** A facet from a name and a function. */
    private record Facet(String name, Function<Request, Object> view) implements RequestFacet {
        @Override
        public Object of(Request request) {
            return view.apply(request);
        }
    }
}
