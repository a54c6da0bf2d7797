package dev.quorum.agent.work;

import dev.quorum.agent.CodingResult;
import dev.quorum.agent.ResearchResult;
import dev.quorum.agent.RunOutcome;
import dev.quorum.agent.coding.TestEvidence;
import dev.quorum.agent.research.Fences;
import dev.quorum.repo.DiffStat;
import dev.quorum.conversation.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The chat replies that end agent requests. Chat gets a readable part (outside the console a long report is cut,
 * keeping its Sources); the console has everything. A text that is cut goes through {@code clean} (the redactor) first, so that no secret
 * is cut in two halves that each look harmless. Pure.
 */
final class AgentReplies {
    /** Longest report text in chat: Slack shows at most 3,000 characters in one block. */
    static final int MAX_REPORT_CHARS = 2_800;
    /** Longest model summary in a coding reply. */
    static final int MAX_SUMMARY_CHARS = 1_500;
    /** Changed files listed in a coding reply; the rest are counted. */
    static final int MAX_FILES_LISTED = 8;
    private static final String SOURCES = "\n\nSources\n";
    /** Room kept in a cut report for closing a code block the cut left open. */
    private static final int CLOSING_ROOM = 8;

    private AgentReplies() {}

    /**
     * The reply that ends a research request. A conversation that shows text whole (the console: its page is one click
     * away, but the reader is already there) gets the whole report; others show {@link #forChat} of it, pointing to
     * {@code page}.
     */
    static Reply research(String id, ResearchResult result, Reply.Tone tone, UnaryOperator<String> clean,
                          boolean wholeText, String page) {
        List<Reply.Field> fields = new ArrayList<>();
        if (!(result.outcome() instanceof RunOutcome.Completed)) {
            fields.add(new Reply.Field("outcome", result.outcome().describe()));
        }
        if (!result.unverifiedCitations().isEmpty()) {
            fields.add(new Reply.Field("unverified citations", result.unverifiedCitations().toString()));
        }
        String report = clean.apply(result.report());
        return Reply.text(id + " · research report\n\n"
                + (wholeText ? report : forChat(report, page))).withTone(tone)
                .withFields(fields);
    }

    /**
     * The report as chat shows it: whole when short; else its beginning (a code block cut in two is closed), a note
     * that the whole report is on its {@code page}, and its Sources section, so that every citation shown can still
     * be looked up.
     */
    static String forChat(String report, String page) {
        if (report.length() <= MAX_REPORT_CHARS) return report;
        int split = report.lastIndexOf(SOURCES);
        String body = split < 0 ? report : report.substring(0, split);
        String sources = split < 0 ? "" : report.substring(split);
        String note = "\n\n… (the whole report, " + report.length() + " characters, is on its page: " + page + ")";
        if (sources.length() > MAX_REPORT_CHARS / 2) sources = cut(sources, MAX_REPORT_CHARS / 2) + "\n…";
        return Fences.closed(cut(body, MAX_REPORT_CHARS - sources.length() - note.length() - CLOSING_ROOM)) + note
                + sources;
    }

    /** @param notes further lines, each said once after the evidence (the draft pull request's link) */
    static Reply coding(String id, CodingResult result, Optional<TestEvidence> evidence, String untested,
                        String targetBranch, Reply.Tone tone, UnaryOperator<String> clean, List<String> notes) {
        DiffStat stat = result.diffStat();
        boolean changed = stat.filesChanged() > 0;
        StringBuilder text = new StringBuilder(id).append(" · ");
        text.append(switch (result.outcome()) {
            case RunOutcome.Completed c -> "done";
            case RunOutcome.BudgetExhausted b -> b.describe();
            case RunOutcome.Cancelled c -> "cancelled";
            case RunOutcome.Failed f -> "failed";
            case RunOutcome.Refused f -> "refused";
        }); // the summary below says what happened in full
        text.append(changed ? " · " + result.branch() + ": " + stat.gitSummary() : " · no files changed");
        text.append("\n\n").append(cut(clean.apply(result.summary()), MAX_SUMMARY_CHARS));
        text.append("\n\n").append(evidence.map(TestEvidence::line).orElse("Not tested: " + untested + "."));
        notes.forEach(note -> text.append("\n").append(note));
        if (changed) {
            text.append("\n`merge ").append(id).append("` proposes merging ").append(result.branch()).append(" into ")
                    .append(targetBranch).append("; it needs a quorum.");
        }
        List<Reply.Field> fields = new ArrayList<>();
        stat.files().stream().limit(MAX_FILES_LISTED).forEach(f -> fields.add(
                new Reply.Field(f.path(), f.change() + " +" + f.insertions() + " −" + f.deletions())));
        if (stat.filesChanged() > MAX_FILES_LISTED) {
            fields.add(new Reply.Field("…", (stat.filesChanged() - MAX_FILES_LISTED) + " more files in the console"));
        }
        return Reply.text(text.toString()).withTone(tone).withFields(fields);
    }

    /** At most {@code max} characters, cut at a line end when one is near. */
    private static String cut(String text, int max) {
        if (text.length() <= max) return text;
        int line = text.lastIndexOf('\n', max);
        return (line > max * 3 / 4 ? text.substring(0, line) : text.substring(0, max - 1) + "…");
    }
}
