package dev.quorum.approval;

import dev.quorum.conversation.Identity;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Reply;
import dev.quorum.config.Directory;
import dev.quorum.command.RequestLines;
import dev.quorum.command.Times;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The approval card: what will happen, to which exact commits, with which evidence, under which
 * rule, who may vote, and where the votes stand, with Approve and Reject while a vote can still
 * count. Edited in place on every vote and every state change, so it never claims a state the
 * request has left. Pure rendering.
 */
public final class ApprovalCard {
    private final Directory directory;
    private final Links links;

    public ApprovalCard(Directory directory, Links links) {
        this.directory = directory;
        this.links = links;
    }

    /**
     * The card as the request stands now. Approve and Reject are there only while a vote can
     * still count: awaiting approval, no quorum yet, the window open and the votes not void.
     *
     * @param frozen whether Quorum is frozen now (an approved action then waits for {@code unfreeze})
     */
    public Reply render(Request r, ActionRecord a, List<Vote> votes, String evidenceLine, boolean frozen, Instant now) {
        Subject s = a.subject();
        boolean votable = r.state() == RequestState.AWAITING_APPROVAL && a.quorumReached() == null && !a.votesVoid()
                && now.isBefore(a.expiresAt());
        Tally tally = Tally.of(a.policy(), votes);
        List<Reply.Field> fields = new ArrayList<>();
        fields.add(new Reply.Field("what happens", whatHappens(r.type(), s)));
        if (!a.diffSummary().isEmpty()) fields.add(new Reply.Field("change", a.diffSummary()));
        fields.add(new Reply.Field("evidence", evidenceLine));
        fields.add(new Reply.Field("policy", a.policy().describe()));
        if (votable) fields.add(new Reply.Field("may vote", mayVote(a.policy(), authorNames(r, a.authors()))));
        fields.add(new Reply.Field("tally", tallyText(a, tally, votable)));
        List<Reply.Button> buttons = votable
                ? List.of(new Reply.Button("Approve", "approve " + r.id(), Reply.Button.Style.PRIMARY),
                          new Reply.Button("Reject", "reject " + r.id(), Reply.Button.Style.DANGER))
                : List.of();
        return Reply.text(r.id() + " · " + title(r.type(), s) + " — " + status(r, a, frozen, now))
                .withTone(tone(r.state())).withFields(fields).withButtons(buttons).withLink(links.changeLink(r.id())).about(r.id());
    }

    /** Where the votes stand; what is still needed only while votes can count. */
    static String tallyText(ActionRecord a, Tally tally, boolean votesOpen) {
        if (a.votesVoid()) return "void: the subject moved (" + tally.given() + ")";
        return votesOpen ? tally.line() : tally.given();
    }

    /** The card's headline state: what is true of the request now, in words. */
    static String status(Request r, ActionRecord a, boolean frozen, Instant now) {
        return switch (r.state()) {
            case AWAITING_APPROVAL -> {
                if (a.quorumReached() != null) yield "quorum reached; waiting for unfreeze";
                if (!now.isBefore(a.expiresAt())) yield "the approval window has closed";
                yield "awaiting approval, closes in " + Times.until(a.expiresAt(), now);
            }
            case EXECUTING -> frozen ? "quorum reached; waiting for unfreeze" : "quorum reached: executing";
            case DONE -> "done" + (r.summary() == null ? "" : ": " + r.summary());
            case STALE -> ended("stale", r.reason());
            case EXPIRED -> ended("expired", r.reason());
            case REJECTED -> ended("rejected", r.reason());
            case CANCELLED -> ended("cancelled", r.reason());
            case FAILED -> ended("failed", r.reason());
            case QUEUED, VERIFYING, RUNNING, SUCCEEDED -> RequestLines.state(r.state()); // no card exists before the votes open
        };
    }

    /** {@code rejected by carol: needs a changelog} rather than {@code rejected: rejected by carol: …}. */
    private static String ended(String word, String reason) {
        if (reason == null || reason.isBlank()) return word;
        return reason.startsWith(word) ? reason : word + ": " + reason;
    }

    private static Reply.Tone tone(RequestState state) {
        return switch (state) {
            case DONE -> Reply.Tone.SUCCESS;
            case AWAITING_APPROVAL, EXECUTING, VERIFYING, QUEUED, RUNNING, SUCCEEDED -> Reply.Tone.INFO;
            case FAILED -> Reply.Tone.ERROR;
            case STALE, EXPIRED, REJECTED, CANCELLED -> Reply.Tone.WARNING;
        };
    }

    static String title(RequestType type, Subject s) {
        return type == RequestType.MERGE
                ? "merge `" + s.source() + "` into `" + s.target() + "`"
                : "deploy `" + s.source() + "` to " + s.target();
    }

    static String whatHappens(RequestType type, Subject s) {
        String result = SubjectCheck.shortSha(s.resultSha());
        if (type == RequestType.MERGE) {
            String how = s.resultSha().equals(s.sourceSha()) ? "fast-forwards to " + result
                    : "moves to " + result + ", the tested merge of " + s.source() + " (" + SubjectCheck.shortSha(s.sourceSha()) + ")";
            return s.target() + " (" + SubjectCheck.shortSha(s.targetSha()) + ") " + how;
        }
        return s.target() + " gets " + result + " (" + s.source() + ")"
                + (s.targetSha() == null ? "" : ", replacing " + SubjectCheck.shortSha(s.targetSha()));
    }

    /**
     * {@code engineers: bob, carol, dave; oncall: dave. alice (author) cannot approve.} Authors
     * are left out of the groups: their Approve would be refused.
     */
    private String mayVote(AppliedPolicy p, List<String> authors) {
        List<String> parts = new ArrayList<>();
        for (String group : p.eligible()) {
            List<String> voters = directory.memberNames(group).stream().filter(n -> !authors.contains(n)).toList();
            parts.add(group + ": " + (voters.isEmpty() ? "nobody else" : String.join(", ", voters)));
        }
        String cannot = authors.isEmpty() ? "" : ". " + String.join(" and ", authors)
                + (authors.size() == 1 ? " (author) cannot approve." : " (authors) cannot approve.");
        return String.join("; ", parts) + cannot;
    }

    /** The authors by name: the person's name, else the name the requester went by when asking. */
    private List<String> authorNames(Request r, List<Identity> authors) {
        Set<String> names = new LinkedHashSet<>();
        for (Identity author : authors) names.add(directory.nameOf(author, author.equals(r.requester()) ? r.requesterName() : null));
        return List.copyOf(names);
    }
}
