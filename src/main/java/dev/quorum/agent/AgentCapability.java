package dev.quorum.agent;

import dev.quorum.Assembly;
import dev.quorum.agent.search.IndexSettings;
import dev.quorum.agent.search.KnowledgeFolder;
import dev.quorum.agent.work.AgentConfiguration;
import dev.quorum.agent.work.AgentRequests;
import dev.quorum.agent.work.AgentRunStore;
import dev.quorum.agent.work.AgentViews;
import dev.quorum.agent.work.CodeHandler;
import dev.quorum.agent.work.CodeJob;
import dev.quorum.agent.work.RepoSnapshots;
import dev.quorum.agent.work.ResearchHandler;
import dev.quorum.agent.work.ResearchJob;
import dev.quorum.agent.work.RunLifecycle;
import dev.quorum.agent.work.RunWiring;
import dev.quorum.config.QuorumConfig;
import dev.quorum.evidence.EvidenceCapability.Evidence;
import dev.quorum.evidence.TestTargets;
import dev.quorum.repo.RepoHosts;
import dev.quorum.request.RequestType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs {@code research} and {@code code}: the agent runner built from the configuration, the commands, their
 * jobs on the shared work queue, {@code rerun} of both, and the transcript and result views. The docs index is
 * brought up to date in the background once Quorum serves; the runner closes with Quorum.
 */
public final class AgentCapability {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCapability.class);

    private AgentCapability() {}

    /**
     * @param evidence the evidence runner and store: a coding agent's {@code run_tests()} uses them, so the evidence
     *                 in its reply is Quorum's own
     * @throws IOException when the docs index cannot be opened
     */
    public static void install(Assembly a, Evidence evidence) throws IOException {
        QuorumConfig config = a.config();
        Path data = config.dataDir().toAbsolutePath();
        RepoSnapshots snapshots = new RepoSnapshots(repoSources(config, a.repos()), data.resolve("research").resolve("repos"),
                IndexSettings.DEFAULTS.maxFileBytes());
        List<KnowledgeFolder> folders = new ArrayList<>();
        config.research().folders().forEach(f -> folders.add(new KnowledgeFolder(f.name(), config.inData(f.path()).toAbsolutePath())));
        folders.addAll(snapshots.folders());
        AgentConfiguration configuration = AgentConfiguration.from(config, folders);
        AgentRunner runner = AgentRunner.start(configuration.settings());
        a.onClose(runner);

        AgentRunStore store = new AgentRunStore(a.redis(), a.redactor());
        RunLifecycle lifecycle = new RunLifecycle(a.requests(), a.freeze(), a.progress(), a.messenger(), a.links(),
                store, configuration, a.redactor());
        RunWiring wiring = new RunWiring(a.progress(), a.requests().store(), store, a.redactor());
        AgentRequests opener = new AgentRequests(a.requests(), a.progress(), a.freeze(), a.directory());

        ResearchHandler research = new ResearchHandler(opener, configuration);
        CodeHandler code = new CodeHandler(config, a.repos(), opener, configuration);
        a.command(research);
        a.command(code);
        a.rerunner(RequestType.RESEARCH, research::rerun);
        a.rerunner(RequestType.CODE, code::rerun);
        a.job(ResearchJob.KIND, new ResearchJob(runner, snapshots, store, lifecycle, wiring));
        a.job(CodeJob.KIND, new CodeJob(config, a.clock(), a.progress(), runner, evidence,
                data.resolve("agent-workspaces"), store, lifecycle, wiring, a.requests().store(), a.links()));
        AgentViews views = new AgentViews(store, a.requests().store(), a.config(), a.repos());
        views.facets().forEach(a::facet);
        a.details(views);
        a.diffs(views::diffRange);
        a.afterUnfreeze(actor -> lifecycle.requeueAfterUnfreeze());
        a.afterStart(() -> {
            AtomicBoolean stopping = new AtomicBoolean();
            Thread rescanning = Thread.ofVirtual().name("docs-index-rescan").start(() -> rescan(snapshots, runner, stopping));
            // Quorum stops once the rescan's fetches have: they write into the data folder, which must be quiet by then. Not
            // by interrupting it: an interrupt closes Lucene's and JGit's file channels under them.
            a.onClose(() -> {
                stopping.set(true);
                if (!rescanning.join(RESCAN_STOP)) LOG.warn("The docs index rescan did not stop within {}", RESCAN_STOP);
            });
        });
    }

    private static final Duration RESCAN_STOP = Duration.ofSeconds(10);

    /** Research reads each repo's default branch, unless {@code research.index_repos} is off. */
    private static Map<String, RepoSnapshots.Source> repoSources(QuorumConfig config, RepoHosts hosts) {
        Map<String, RepoSnapshots.Source> sources = new LinkedHashMap<>();
        if (config.research().indexRepos()) {
            config.repos().keySet().forEach(name -> sources.put(name, new RepoSnapshots.Source(
                    hosts.get(name), TestTargets.defaultBranch(config, name))));
        }
        return sources;
    }

    private static void rescan(RepoSnapshots snapshots, AgentRunner runner, AtomicBoolean stopping) {
        try {
            if (stopping.get()) return;
            snapshots.refresh();
            if (stopping.get()) return; // every start rescans, so nothing is lost
            var changes = runner.docsIndex().rescan();
            LOG.info("Docs index up to date: {} files added, {} updated, {} removed", changes.added(), changes.updated(),
                    changes.removed());
        } catch (AlreadyClosedException e) {
            // Quorum was stopped while it indexed (a stop right after start): every start rescans, so nothing is lost
            LOG.debug("Stopped before the docs index was up to date: {}", e.toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not bring the docs index up to date: {}", e.toString());
        }
    }
}
