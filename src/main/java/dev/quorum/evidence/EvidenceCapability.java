package dev.quorum.evidence;

import dev.quorum.Assembly;
import dev.quorum.request.RequestType;

import java.nio.file.Path;
import java.time.Duration;

/** Installs {@code test}: Quorum runs the tests itself and keeps the evidence. */
public final class EvidenceCapability {
    private EvidenceCapability() {}

    /** What other capabilities use of evidence: merges and deploys verify with it, agents run tests with it. */
    public record Evidence(EvidenceService service, EvidenceStore store, TestTargets targets, EvidenceViews views) {}

    public static Evidence install(Assembly a) {
        TestTargets targets = new TestTargets(a.config());
        Path data = a.config().dataDir().toAbsolutePath();
        EvidenceService service = new EvidenceService(new EvidenceSettings(data.resolve("workspaces"), data.resolve("evidence-logs"),
                a.config().evidence().maxConcurrentRuns(), Duration.ofSeconds(5), Duration.ofSeconds(5),
                a.config().evidence().keepWorkspaces(), System.getenv()));
        EvidenceStore store = new EvidenceStore(a.redis(), a.audit().key());
        EvidenceViews views = new EvidenceViews(store, service);
        TestHandler test = new TestHandler(a.config(), a.requests(), a.progress());
        a.command(test);
        a.job(TestHandler.JOB, new TestJob(a.requests(), service, store, targets, a.progress(), a.messenger(), a.links()));
        a.rerunner(RequestType.TEST, test::rerun);
        a.facet(views);
        a.facet(views.seal());
        a.details(views);
        a.logs(views::logOf);
        return new Evidence(service, store, targets, views);
    }
}
