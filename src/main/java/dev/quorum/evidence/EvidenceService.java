package dev.quorum.evidence;

import dev.quorum.repo.Sha;
import dev.quorum.request.Cancellation;
import dev.quorum.sandbox.Launch;
import dev.quorum.sandbox.RunRequest;
import dev.quorum.sandbox.SandboxException;
import dev.quorum.sandbox.Trust;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Runs a repository's tests at one commit and returns sealed evidence: the command runs in a
 * fresh workspace checked out at that commit, with a scrubbed environment and a time limit, its
 * output redacted into a log, its JUnit XML reports read, and the verdict sealed with a digest.
 *
 * <p>Thread-safe: any number of callers may run at once, on the same repository too (each run
 * has its own workspace); at most {@link EvidenceSettings#maxConcurrentRuns()} commands run at a
 * time and the rest queue in arrival order. {@link #run} blocks its caller for the whole run:
 * call it on a virtual thread, never on an event loop.
 *
 * <p>Failure meaning: {@code run} returns evidence for everything that can happen during a run
 * (failing tests, no reports, timeout, cancel, a commit that cannot be checked out: then with
 * status {@code error}). It throws only for a caller's mistake.
 */
public final class EvidenceService {

    /** Failures listed in a record at most; counts stay exact. */
    public static final int MAX_FAILURES_LISTED = 50;

    private static final Logger LOG = LoggerFactory.getLogger(EvidenceService.class);
    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");

    private final EvidenceSettings settings;
    private final RunQueue queue;
    private final CommandRunner runner;
    private final Redactor quorumSecrets;
    private final Map<String, ReentrantLock> warming = new ConcurrentHashMap<>();

    public EvidenceService(EvidenceSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.queue = new RunQueue(settings.maxConcurrentRuns());
        this.runner = new CommandRunner(settings.heartbeat(), settings.killGrace());
        this.quorumSecrets = Redactor.of(ScrubbedEnvironment.quorumSecretValues(settings.hostEnv()));
    }

    /**
     * Runs the tests of {@code target} at {@code commit} and returns the evidence; the last event
     * {@code listener} gets is {@link RunEvent.Finished} with the same record.
     *
     * @param commit full 40-hex lower-case SHA, e.g. from {@link dev.quorum.repo.RepoHost#resolve}
     * @throws IllegalArgumentException when {@code commit} is not a full SHA
     */
    public EvidenceRecord run(TestTarget target, String commit, RunListener listener, Cancellation cancellation) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancellation, "cancellation");
        if (commit == null || !FULL_SHA.matcher(commit).matches()) {
            throw new IllegalArgumentException("commit must be a full lower-case SHA, got " + commit
                    + "; resolve refs with RepoHost.resolve first");
        }
        Redactor redactor = quorumSecrets.with(target.secretValues());
        RunContext run = new RunContext(target, commit, redactor, guarded(listener), cancellation);
        EvidenceRecord record = queuedRun(run);
        run.listener().onEvent(new RunEvent.Finished(record));
        return record;
    }

    /** Where the whole redacted log of {@code record} is kept; absent when no command ran. */
    public Path logFile(EvidenceRecord record) {
        return settings.logDir().resolve(record.digest() + ".log");
    }

    /** True when stored evidence JSON is intact: see {@link EvidenceRecord#verifyDigest(String)}. */
    public static boolean verify(String evidenceJson) {
        return EvidenceRecord.verifyDigest(evidenceJson);
    }

    private record RunContext(TestTarget target, String commit, Redactor redactor, RunListener listener,
                              Cancellation cancellation) {

        String command() {
            return redactor.redact(target.testCommand());
        }

        /** Evidence of a run that never got to a test result. */
        EvidenceRecord without(EvidenceStatus status, String problem) {
            return EvidenceRecord.sealed(target.repo(), commit, command(), status, null, Instant.now(), 0,
                    TestCounts.NONE, List.of(), "", List.of(redactor.redact(problem)), target.sandbox().confines());
        }
    }

    private EvidenceRecord queuedRun(RunContext run) {
        Optional<RunQueue.Slot> slot;
        try {
            slot = queue.acquire(run.cancellation(), position -> run.listener().onEvent(new RunEvent.Queued(position)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return run.without(EvidenceStatus.CANCELLED, "cancelled while queued (interrupted)");
        }
        if (slot.isEmpty()) {
            return run.without(EvidenceStatus.CANCELLED,
                    "cancelled while queued" + run.cancellation().reason().map(r -> " (" + r + ")").orElse(""));
        }
        try {
            run.listener().onEvent(new RunEvent.Started(Instant.now()));
            return runInWorkspace(run);
        } finally {
            slot.get().close();
        }
    }

    private EvidenceRecord runInWorkspace(RunContext run) {
        TestTarget target = run.target();
        Trust trust = trustOf(target, run.commit());
        Workspace workspace;
        try {
            Files.createDirectories(settings.workRoot());
            Files.createDirectories(settings.logDir());
            if (trust == Trust.UNMERGED) warmCacheIfCold(target, run.redactor(), run.cancellation());
            workspace = Workspace.create(settings.workRoot(), target.host(), new Sha(run.commit()));
        } catch (IOException | WorkspaceException e) {
            // an unknown commit or a full disk: the message says which, and the evidence records it
            LOG.warn("test run of {} at {} could not start: {}", target.repo(), run.commit(), e.getMessage());
            LOG.debug("test run of {} at {} could not start", target.repo(), run.commit(), e);
            return run.without(EvidenceStatus.ERROR, e.getMessage());
        }
        Path partialLog = settings.logDir().resolve(
                target.repo() + "-" + new Sha(run.commit()).abbrev() + "-" + UUID.randomUUID() + ".log.part");
        EvidenceStatus status = EvidenceStatus.ERROR;
        try {
            CommandOutcome outcome = runner.run(
                    new CommandRun(launch(target, workspace, trust), target.timeout(), run.redactor(), partialLog),
                    run.cancellation(),
                    elapsed -> run.listener().onEvent(new RunEvent.StillRunning(elapsed)));
            if (trust == Trust.MERGED && outcome.ending() == CommandOutcome.Ending.EXITED) target.sandbox().cacheWarmed();
            ReportFinder.Found found = ReportFinder.find(workspace.checkout(), target.reportGlobs());
            ParsedReports reports = new JUnitReportParser(MAX_FAILURES_LISTED, run.redactor())
                    .parse(workspace.checkout(), found.files());
            Verdict verdict = Verdict.of(outcome, target.timeout(), run.cancellation().reason().orElse(""),
                    target.reportGlobs(), found, reports);
            EvidenceRecord record = EvidenceRecord.sealed(target.repo(), run.commit(), run.command(), verdict.status(),
                    outcome.exitCode(), outcome.startedAt(), outcome.duration().toMillis(), reports.counts(),
                    reports.failures(), outcome.logTail(), verdict.problems(), target.sandbox().confines());
            Files.move(partialLog, logFile(record), StandardCopyOption.REPLACE_EXISTING);
            status = record.status();
            return record;
        } catch (SandboxException e) {
            LOG.warn("test run of {} at {} refused: {}", target.repo(), run.commit(), e.getMessage());
            return run.without(EvidenceStatus.ERROR, e.getMessage());
        } catch (IOException e) {
            LOG.warn("test run of {} at {} failed: {}", target.repo(), run.commit(), e.toString());
            LOG.debug("test run of {} at {} failed", target.repo(), run.commit(), e);
            return run.without(EvidenceStatus.ERROR, "could not run the test command: " + e.getMessage());
        } finally {
            if (status != EvidenceStatus.PASSED && settings.keepFailedWorkspaces()) {
                LOG.info("kept the workspace of {} at {} ({}): {}", target.repo(), run.commit(), status, workspace.dir());
            } else {
                workspace.close();
            }
        }
    }

    /** The test command in {@code workspace}, prepared by the repository's sandbox. */
    private Launch launch(TestTarget target, Workspace workspace, Trust trust) throws SandboxException, IOException {
        Map<String, String> env = ScrubbedEnvironment.build(settings.hostEnv(), target.allowedEnv(), workspace.home(), workspace.tmp());
        return target.sandbox().prepare(new RunRequest(target.testCommand(), workspace.checkout(), workspace.home(),
                workspace.tmp(), workspace.scratch(), env, trust));
    }

    /** Commits on the default branch passed the merge rule; everything else is somebody's proposal. */
    private static Trust trustOf(TestTarget target, String commit) {
        try {
            return target.host().isOnBranch(new Sha(commit), target.defaultBranch()) ? Trust.MERGED : Trust.UNMERGED;
        } catch (IOException | RuntimeException e) {
            return Trust.UNMERGED; // when in doubt, the stricter one
        }
    }

    /**
     * Before the first untrusted run of a repository whose cache no trusted run has filled, the
     * tests of the default branch's head run once, trusted (with its network), so that proposals can
     * run offline against what the approved code needs. Not evidence: only the cache is kept.
     */
    private void warmCacheIfCold(TestTarget target, Redactor redactor, Cancellation cancellation) {
        if (!target.sandbox().cacheCold()) return;
        ReentrantLock lock = warming.computeIfAbsent(target.repo(), r -> new ReentrantLock());
        lock.lock();
        try {
            if (!target.sandbox().cacheCold()) return;
            Optional<Sha> head = target.host().head(target.defaultBranch());
            if (head.isEmpty()) return;
            LOG.info("Filling the dependency cache of repo {}: its tests run once on {} ({}), trusted", target.repo(),
                    target.defaultBranch(), head.get().abbrev());
            Path log = settings.logDir().resolve("cache-" + target.repo() + ".log");
            try (Workspace workspace = Workspace.create(settings.workRoot(), target.host(), head.get())) {
                CommandOutcome outcome = runner.run(new CommandRun(launch(target, workspace, Trust.MERGED), target.timeout(),
                        redactor, log), cancellation, elapsed -> { });
                if (outcome.ending() == CommandOutcome.Ending.EXITED) target.sandbox().cacheWarmed();
                LOG.info("Dependency cache of repo {} filled ({}, exit code {}; log in {})", target.repo(),
                        outcome.ending().name().toLowerCase(java.util.Locale.ROOT), outcome.exitCode(), log);
            }
        } catch (IOException | WorkspaceException | SandboxException | RuntimeException e) {
            LOG.warn("Could not fill the dependency cache of repo {}: {}", target.repo(), e.toString());
        } finally {
            lock.unlock();
        }
    }

    /** The listener, made unable to break a run. */
    private static RunListener guarded(RunListener listener) {
        return event -> {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                // chat or Redis gone: the run and its evidence go on without this update
                LOG.warn("run listener failed on {}: {}", event.getClass().getSimpleName(), e.toString());
                LOG.debug("run listener failure", e);
            }
        };
    }
}
