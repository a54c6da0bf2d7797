package dev.quorum.evidence;

import dev.quorum.Assembly;
import dev.quorum.config.QuorumConfig;
import dev.quorum.request.RequestType;
import dev.quorum.sandbox.SandboxHost;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Installs {@code test}: Quorum runs the tests itself and keeps the evidence. */
public final class EvidenceCapability {
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceCapability.class);

    private EvidenceCapability() {}

    /**
     * What other capabilities use of evidence: merges and deploys verify with it, agents run tests with it, and each
     * posts its runs' verdicts on the code host with {@code checks}.
     */
    public record Evidence(EvidenceService service, EvidenceStore store, TestTargets targets, EvidenceViews views, CommitChecks checks) {}

    public static Evidence install(Assembly a) {
        Path data = a.config().dataDir().toAbsolutePath();
        SandboxHost sandboxes = SandboxHost.probe(System.getenv(), privatePaths(a.config()), data.resolve("workspaces").resolve(".sandbox-probe"));
        if (!sandboxes.available()) {
            LOG.warn("No sandbox can be made here ({}); repositories without sandbox: off will not run any code", sandboxes.whyUnavailable());
        }
        TestTargets targets = new TestTargets(a.config(), a.repos(), sandboxes);
        a.config().repos().keySet().stream().sorted().forEach(repo ->
                LOG.info("Repo {} runs its code {}", repo, targets.of(repo).orElseThrow().sandbox().describe()));
        EvidenceService service = new EvidenceService(new EvidenceSettings(data.resolve("workspaces"), data.resolve("evidence-logs"),
                a.config().evidence().maxConcurrentRuns(), Duration.ofSeconds(5), Duration.ofSeconds(5),
                a.config().evidence().keepWorkspaces(), System.getenv()));
        EvidenceStore store = new EvidenceStore(a.redis(), a.audit().key());
        EvidenceViews views = new EvidenceViews(store, service);
        TestHandler test = new TestHandler(a.config(), a.repos(), a.requests(), a.progress());
        a.command(test);
        CommitChecks checks = new CommitChecks(a.links());
        a.job(TestHandler.JOB, new TestJob(a.requests(), service, store, targets, a.progress(), a.messenger(), a.links(), checks));
        a.rerunner(RequestType.TEST, test::rerun);
        a.facet(views);
        a.facet(views.seal());
        a.details(views);
        a.logs(views::logOf);
        return new Evidence(service, store, targets, views, checks);
    }

    /**
     * What code from a repository must never see: Quorum's data folder (Redis files, keys, every
     * repository and workspace), the repositories wherever they are, the research folders, the
     * deploy secrets' files, and the configuration. The sandbox shows none of them; these are masked should one lie inside a folder
     * runs may read.
     */
    static List<Path> privatePaths(QuorumConfig config) {
        List<Path> paths = new ArrayList<>(List.of(config.dataDir(), Path.of("config")));
        config.repos().values().stream().filter(repo -> repo.path() != null).forEach(repo -> paths.add(config.inData(repo.path())));
        config.research().folders().forEach(f -> paths.add(config.inData(f.path())));
        config.environments().values().forEach(env -> env.secrets().values().forEach(file -> paths.add(Path.of(file))));
        String explicit = System.getenv("QUORUM_CONFIG");
        if (explicit != null && !explicit.isBlank()) paths.add(Path.of(explicit));
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }
}
