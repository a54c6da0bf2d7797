package dev.quorum.evidence;

import dev.quorum.conversation.Links;
import dev.quorum.conversation.Messenger;
import dev.quorum.conversation.Reply;
import dev.quorum.command.RequestLines;
import dev.quorum.repo.Sha;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Delivery;
import dev.quorum.request.JobHandler;
import dev.quorum.request.Request;
import dev.quorum.request.RequestProgress;
import dev.quorum.request.RequestState;
import dev.quorum.request.Requests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a {@code test} request: the evidence service checks out the commit, runs the configured
 * command and seals the record; the record is stored, the request ends passed or failed, and the
 * evidence line goes to the thread with a link to the full record. On a host with pull requests the run's verdict is
 * also posted as the {@code quorum} check ({@link CommitChecks}).
 */
public final class TestJob implements JobHandler {
    private final Requests requests;
    private final EvidenceService evidence;
    private final EvidenceStore store;
    private final TestTargets targets;
    private final RequestProgress progress;
    private final Messenger messenger;
    private final Links links;
    private final CommitChecks checks;

    public TestJob(Requests requests, EvidenceService evidence, EvidenceStore store, TestTargets targets,
                   RequestProgress progress, Messenger messenger, Links links, CommitChecks checks) {
        this.requests = requests;
        this.evidence = evidence;
        this.store = store;
        this.targets = targets;
        this.progress = progress;
        this.messenger = messenger;
        this.links = links;
        this.checks = checks;
    }

    @Override
    public void run(Delivery delivery, Request request, Cancellation cancel) {
        Optional<Request> running = requests.begin(request, RequestState.RUNNING, delivery);
        if (running.isEmpty()) return;
        Request r = running.get();
        Map<String, String> in = requests.store().inputs(r.id());
        TestTarget target = targets.of(in.get("repo")).orElseThrow(() -> new IllegalStateException("repo " + in.get("repo") + " is no longer configured"));
        Sha tested = new Sha(in.get("commit"));
        // a pull request's check goes on its head, the commit GitHub has (the merge tested is Quorum's own)
        CommitChecks.Publication check = checks.start(target.host(), Sha.parse(in.get("head")).orElse(tested), tested, r.id());
        EvidenceRecord record = evidence.run(target, tested.hex(), event -> report(r, event), cancel);
        store.save(record, r.id(), requests.clock().instant());
        check.finish(record);
        String line = EvidenceLine.of(record);
        RequestState end = switch (record.status()) {
            case PASSED -> RequestState.SUCCEEDED;
            case CANCELLED -> RequestState.CANCELLED;
            case FAILED, TIMED_OUT, ERROR -> RequestState.FAILED;
        };
        requests.move(r, end, "quorum", line);
        Reply.Tone tone = switch (record.status()) {
            case PASSED -> Reply.Tone.SUCCESS;
            case CANCELLED -> Reply.Tone.WARNING; // someone stopped it: nothing is wrong with the code
            case FAILED, TIMED_OUT, ERROR -> Reply.Tone.ERROR;
        };
        progress.finish(r, RequestLines.state(end) + check.trouble().map(t -> " · " + t).orElse(""), tone);
        messenger.post(r.origin(), evidenceReply(r.id(), record, line, tone));
    }

    private void report(Request r, RunEvent event) {
        switch (event) {
            case RunEvent.Queued q -> progress.update(r, "waiting for a free test slot (" + ordinal(q.position()) + " in line)");
            case RunEvent.Started s -> progress.update(r, "checking out and running the tests");
            case RunEvent.StillRunning s -> progress.update(r, "running for " + s.elapsed().toSeconds() + " s");
            case RunEvent.Finished f -> { }
        }
    }

    /** The evidence as chat shows it: the SPEC §6 line, the first failures, and the link to everything. */
    static Reply evidenceReply(String requestId, EvidenceRecord record, String line, Reply.Tone tone, Links links) {
        List<Reply.Field> fields = new ArrayList<>();
        record.failures().stream().limit(5).forEach(f -> fields.add(new Reply.Field(f.name(), f.message())));
        if (record.failures().size() > 5) fields.add(new Reply.Field("…", (record.failures().size() - 5) + " more failures in the console"));
        // the line already says its first problem (a timeout, a cancel): each is said once
        record.problems().stream().filter(p -> !line.contains(p)).forEach(p -> fields.add(new Reply.Field("problem", p)));
        return Reply.text(line).withTone(tone).withFields(fields).withLink(links.requestLink(requestId)).about(requestId);
    }

    private Reply evidenceReply(String requestId, EvidenceRecord record, String line, Reply.Tone tone) {
        return evidenceReply(requestId, record, line, tone, links);
    }

    private static String ordinal(int n) {
        return n + (n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th");
    }
}
