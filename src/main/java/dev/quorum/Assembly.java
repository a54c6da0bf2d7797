package dev.quorum;

import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.ChatAdapter;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Messenger;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.Oncall;
import dev.quorum.command.RequestDetails;
import dev.quorum.command.Rerunner;
import dev.quorum.config.Directory;
import dev.quorum.config.QuorumConfig;
import dev.quorum.github.GitHubCapability;
import dev.quorum.github.GitHubClient;
import dev.quorum.repo.RepoHosts;
import dev.quorum.evidence.Redactor;
import dev.quorum.evidence.TestTargets;
import dev.quorum.request.CancelBoard;
import dev.quorum.request.FreezeSwitch;
import dev.quorum.request.JobHandler;
import dev.quorum.request.RequestFacet;
import dev.quorum.request.RequestProgress;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;
import dev.quorum.store.Redis;
import dev.quorum.web.ApiRoutes;
import dev.quorum.web.HttpEndpoint;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a capability plugs into while Quorum assembles itself: the shared services it may use,
 * and the registries where it adds its commands, jobs, views, routes and adapters. Each
 * capability has one {@code install(Assembly)}; {@link Quorum} calls them in order. Used on one
 * thread during start-up only.
 */
public final class Assembly {
    private final QuorumConfig config;
    private final RepoHosts repos;
    private final Optional<GitHubClient> github;
    private final Clock clock;
    private final Redis redis;
    private final AuditLog audit;
    private final Requests requests;
    private final Messenger messenger;
    private final RequestProgress progress;
    private final Links links;
    private final Directory directory;
    private final FreezeSwitch freeze;
    private final CancelBoard cancels;
    private final String instanceId;
    private final Redactor redactor;

    private final List<CommandHandler<?>> commands = new ArrayList<>();
    private final Map<String, JobHandler> jobs = new HashMap<>();
    private final List<RequestFacet> facets = new ArrayList<>();
    private final List<RequestDetails> details = new ArrayList<>();
    private final Map<RequestType, Rerunner> rerunners = new EnumMap<>(RequestType.class);
    private final List<HttpEndpoint> endpoints = new ArrayList<>();
    private final List<ChatAdapter> adapters = new ArrayList<>();
    private final List<Consumer<String>> afterUnfreeze = new ArrayList<>();
    private final List<Runnable> afterStart = new ArrayList<>();
    private final List<AutoCloseable> closers = new ArrayList<>();
    private ApiRoutes.LogFiles logs = id -> java.util.Optional.empty();
    private final List<ApiRoutes.Diffs> diffs = new ArrayList<>();

    Assembly(QuorumConfig config, Clock clock, Redis redis, AuditLog audit, Requests requests, Messenger messenger,
             RequestProgress progress, Links links, Directory directory, FreezeSwitch freeze, CancelBoard cancels,
             String instanceId) {
        this.config = config;
        this.github = GitHubCapability.connect(config, System::getenv, clock);
        this.repos = RepoHosts.from(config, GitHubCapability.hosts(config, github));
        this.clock = clock;
        this.redis = redis;
        this.audit = audit;
        this.requests = requests;
        this.messenger = messenger;
        this.progress = progress;
        this.links = links;
        this.directory = directory;
        this.freeze = freeze;
        this.cancels = cancels;
        this.instanceId = instanceId;
        this.redactor = TestTargets.redactorFor(config, System.getenv());
    }

    public QuorumConfig config() { return config; }
    /** Every configured repository's host: the only way capabilities read or move a repository. */
    public RepoHosts repos() { return repos; }
    /** GitHub's client, when a repo lives on GitHub: made with the hosts, which use it for git. */
    public Optional<GitHubClient> github() { return github; }
    public Clock clock() { return clock; }
    public Redis redis() { return redis; }
    public AuditLog audit() { return audit; }
    public Requests requests() { return requests; }
    public Messenger messenger() { return messenger; }
    public RequestProgress progress() { return progress; }
    public Links links() { return links; }
    public Directory directory() { return directory; }
    public Oncall oncall() { return Oncall.of(directory, config); }
    public FreezeSwitch freeze() { return freeze; }
    public CancelBoard cancels() { return cancels; }
    /** This instance's name among the Quorum instances sharing one Redis. */
    public String instanceId() { return instanceId; }
    /**
     * Masks every secret Quorum knows (the configuration's and those in its own environment) in text it stores or
     * posts: built once, for every capability.
     */
    public Redactor redactor() { return redactor; }

    public void command(CommandHandler<?> handler) { commands.add(handler); }
    /** A job kind of the work queue and who runs it. */
    public void job(String kind, JobHandler handler) {
        if (jobs.put(kind, handler) != null) throw new IllegalArgumentException("two handlers for job " + kind);
    }
    public void facet(RequestFacet facet) { facets.add(facet); }
    public void details(RequestDetails d) { details.add(d); }
    public void rerunner(RequestType type, Rerunner rerunner) { rerunners.put(type, rerunner); }
    public void endpoint(HttpEndpoint endpoint) { endpoints.add(endpoint); }
    /** Where a request's full log file is (the API serves it); one source per installation. */
    public void logs(ApiRoutes.LogFiles source) { this.logs = source; }
    /** Which change a request is about (the API serves its diff); the first source that knows wins. */
    public void diffs(ApiRoutes.Diffs source) { diffs.add(source); }
    public void adapter(ChatAdapter adapter) { adapters.add(adapter); }
    /** Runs after {@code unfreeze}, given the actor: what waited for the freeze to end resumes here. */
    public void afterUnfreeze(Consumer<String> hook) { afterUnfreeze.add(hook); }
    /** Runs once Quorum serves (background loops start here). */
    public void afterStart(Runnable hook) { afterStart.add(hook); }
    /** Closed when Quorum stops, in reverse order of registration. */
    public void onClose(AutoCloseable closer) { closers.add(closer); }

    List<CommandHandler<?>> commands() { return Collections.unmodifiableList(commands); }
    Map<String, JobHandler> jobs() { return Collections.unmodifiableMap(jobs); }
    List<RequestFacet> facets() { return Collections.unmodifiableList(facets); }
    List<RequestDetails> details() { return Collections.unmodifiableList(details); }
    Map<RequestType, Rerunner> rerunners() { return Collections.unmodifiableMap(rerunners); }
    List<HttpEndpoint> endpoints() { return Collections.unmodifiableList(endpoints); }
    List<ChatAdapter> adapters() { return Collections.unmodifiableList(adapters); }
    List<Consumer<String>> afterUnfreezeHooks() { return Collections.unmodifiableList(afterUnfreeze); }
    List<Runnable> afterStartHooks() { return Collections.unmodifiableList(afterStart); }
    List<AutoCloseable> closers() { return Collections.unmodifiableList(closers); }
    ApiRoutes.LogFiles logs() { return logs; }
    ApiRoutes.Diffs diffs() { return ApiRoutes.Diffs.firstOf(diffs); }
}
