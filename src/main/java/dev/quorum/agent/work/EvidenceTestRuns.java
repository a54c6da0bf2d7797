package dev.quorum.agent.work;

import dev.quorum.agent.coding.TestEvidence;
import dev.quorum.agent.coding.TestRunPort;
import dev.quorum.evidence.CommitChecks;
import dev.quorum.evidence.EvidenceLine;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceService;
import dev.quorum.evidence.EvidenceStatus;
import dev.quorum.evidence.EvidenceStore;
import dev.quorum.evidence.RunEvent;
import dev.quorum.evidence.TestTarget;
import dev.quorum.repo.Sha;
import dev.quorum.request.Cancellation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code run_tests()} of one coding run, done by Quorum's own evidence runner: the branch is pushed to the repository,
 * the runner tests the commit in a clean checkout of it (not the agent's working directory), and the sealed record is
 * stored as the request's evidence, exactly as {@code test} would (on a host with pull requests, its verdict is posted
 * on the pushed commit as the {@code quorum} check). Used by one run at a time.
 */
final class EvidenceTestRuns implements TestRunPort {
    private final BranchCheckout checkout;
    private final TestTarget target;
    private final EvidenceService service;
    private final EvidenceStore store;
    private final CommitChecks checks;
    private final Runnable pushed;
    private final Cancellation cancel;
    private final Consumer<String> progress;
    private final Clock clock;

    /** The first check this run could not post; said once, in the reply. */
    private String checkTrouble;

    /** @param pushed told after each push of the branch, before its tests run (the draft pull request opens then) */
    EvidenceTestRuns(BranchCheckout checkout, TestTarget target, EvidenceService service, EvidenceStore store, CommitChecks checks,
                     Runnable pushed, Cancellation cancel, Consumer<String> progress, Clock clock) {
        this.checkout = checkout;
        this.target = target;
        this.service = service;
        this.store = store;
        this.checks = checks;
        this.pushed = pushed;
        this.cancel = cancel;
        this.progress = progress;
        this.clock = clock;
    }

    @Override
    public TestEvidence runTests(String requestId, Path workingDirectory, String commitSha) throws IOException {
        checkout.push();
        pushed.run();
        Sha commit = new Sha(commitSha);
        CommitChecks.Publication check = checks.start(target.host(), commit, commit, requestId); // the pushed commit is on the host
        EvidenceRecord record = service.run(target, commitSha, this::report, cancel);
        store.save(record, requestId, clock.instant());
        check.finish(record);
        if (checkTrouble == null) checkTrouble = check.trouble().orElse(null);
        return new TestEvidence(record.commit(), record.status() == EvidenceStatus.PASSED, EvidenceLine.of(record),
                record.failures().stream().map(f -> f.name() + ": " + f.message()).toList(), record.logTail(),
                record.digest());
    }

    /** The first failure to post a check on the host in this run, if any. */
    Optional<String> checkTrouble() {
        return Optional.ofNullable(checkTrouble);
    }

    private void report(RunEvent event) {
        switch (event) {
            case RunEvent.Queued q -> progress.accept("running tests: waiting for a free test slot");
            case RunEvent.Started s -> progress.accept("running tests in a clean checkout");
            case RunEvent.StillRunning s -> progress.accept("running tests for " + s.elapsed().toSeconds() + " s");
            case RunEvent.Finished f -> { }
        }
    }
}
