package dev.quorum.agent.work;

import dev.quorum.agent.CodingResult;
import dev.quorum.agent.coding.TestEvidence;
import dev.quorum.conversation.Links;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.PullRequests;
import dev.quorum.repo.RepoHost;
import dev.quorum.request.Request;
import dev.quorum.request.RequestStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A coding run's branch as a draft pull request on a host that has them (SPEC §10): opened when the run first pushes
 * {@code quorum/<id>} (its agent's first {@code run_tests()}, or the end of the run), its description replaced with the
 * summary and evidence when the run ends, and again by every later attempt of the request. Its number is kept
 * in the request's inputs ({@code pull_request}), so {@code merge <id>} lands that pull request. The description is
 * for people on GitHub: the model's summary (shown as text in a fence, so it can neither mention anyone nor link,
 * embed or format anything), Quorum's evidence line, the console link and who asked. Every text Quorum sends is masked
 * with the redactor first. A host that refuses never fails the request: the reply says so. Thread-safe; blocking.
 */
final class DraftPullRequests {
    /** The input of a code request that holds its draft pull request's number. */
    static final String PULL_REQUEST = "pull_request";
    static final int MAX_TITLE_TASK_CHARS = 100;
    static final int MAX_SUMMARY_CHARS = AgentReplies.MAX_SUMMARY_CHARS;
    private static final Logger LOG = LoggerFactory.getLogger(DraftPullRequests.class);
    private static final Pattern BACKTICKS = Pattern.compile("`+");

    private final RequestStore requests;
    private final Links links;
    private final UnaryOperator<String> redact;

    DraftPullRequests(RequestStore requests, Links links, UnaryOperator<String> redact) {
        this.requests = requests;
        this.links = links;
        this.redact = redact;
    }

    /**
     * Opens (or updates) the draft of request {@code r}'s branch once it is first pushed, while the agent still works:
     * people on GitHub see the change grow. Its description says the run goes on.
     *
     * @return the line the reply adds when the host refused; empty when it went through or the host has no pull requests
     */
    Optional<String> working(RepoHost host, Request r, String task, String base, String branch) {
        String body = "Quorum's coding agent is working on this (" + r.id() + "); when the run ends, this description gets its "
                + "summary and Quorum's evidence.\n\n" + footer(r);
        return publish(host, r, branch, base, title(r.id(), task), body).filter(line -> !line.startsWith(OPENED));
    }

    /**
     * Opens or updates the draft of request {@code r}'s pushed branch into {@code base} at the end of a run, with its summary
     * and evidence.
     *
     * @return the line the reply adds (the draft's link, or why there is none); empty on a host without pull requests
     */
    Optional<String> finished(RepoHost host, Request r, String task, String base, CodingResult result, Optional<TestEvidence> tested) {
        return publish(host, r, result.branch(), base, title(r.id(), task), body(r, result, tested));
    }

    private static final String OPENED = "Draft pull request ";

    private Optional<String> publish(RepoHost host, Request r, String branch, String base, String title, String body) {
        Optional<PullRequests> pulls = host.pullRequests();
        if (pulls.isEmpty()) return Optional.empty();
        try {
            PullRequest draft = pulls.get().openOrUpdateDraft(branch, base, title, body);
            requests.setInputs(r.id(), Map.of(PULL_REQUEST, String.valueOf(draft.number())));
            return Optional.of(OPENED + draft.shown() + ": " + draft.htmlUrl());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: could not open or update the draft pull request of {} in repo {}: {}", r.id(), branch, host.name(), e.toString());
            String why = e instanceof IOException ? e.getMessage() : "an internal error (see Quorum's log)";
            return Optional.of("Could not open or update the draft pull request on GitHub: " + why + ". The work is on " + branch + ".");
        }
    }

    /** {@code R12: add a /ping endpoint}: one line, cut; GitHub shows titles as plain text. */
    String title(String id, String task) {
        String line = redact.apply(task).replaceAll("\\s+", " ").strip();
        return id + ": " + (line.length() <= MAX_TITLE_TASK_CHARS ? line : line.substring(0, MAX_TITLE_TASK_CHARS - 1) + "…");
    }

    String body(Request r, CodingResult result, Optional<TestEvidence> tested) {
        String summary = redact.apply(result.summary() == null ? "" : result.summary());
        if (summary.length() > MAX_SUMMARY_CHARS) summary = summary.substring(0, MAX_SUMMARY_CHARS - 1) + "…";
        String evidence = tested.map(TestEvidence::line).map(line -> "Evidence: " + code(redact.apply(line)))
                .orElse("Evidence: none yet (the final commit was not tested).");
        return fenced(summary) + "\n\n" + evidence + "\n\n" + footer(r);
    }

    /** The console link and who asked, the same in every description. */
    private String footer(Request r) {
        return "The whole record, transcript and evidence: " + links.request(r.id()) + "\n\n"
                + "Requested by " + code(redact.apply(r.requesterName())) + " in Quorum (" + r.id()
                + (r.rerunOf() == null ? "" : ", a rerun of " + r.rerunOf()) + "). This draft is Quorum's: `merge " + r.id()
                + "` proposes it, and it lands once a quorum approved the tested merge.";
    }

    /** {@code text} as a fenced block no line of it can close: a fence longer than any run of backticks in it. */
    static String fenced(String text) {
        String fence = "`".repeat(Math.max(3, longestRun(text) + 1));
        return fence + "text\n" + text + "\n" + fence;
    }

    /** {@code text} as an inline code span on one line: whatever it holds renders as those characters. */
    static String code(String text) {
        String line = text.replaceAll("[\\r\\n\\p{Cntrl}]+", " ");
        String ticks = "`".repeat(longestRun(line) + 1);
        return ticks + " " + line + " " + ticks;
    }

    private static int longestRun(String text) {
        int longest = 0;
        Matcher m = BACKTICKS.matcher(text);
        while (m.find()) longest = Math.max(longest, m.group().length());
        return longest;
    }
}
