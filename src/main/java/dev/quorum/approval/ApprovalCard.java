package dev.quorum.approval;

import dev.quorum.chat.Identity;
import dev.quorum.chat.Links;
import dev.quorum.chat.Reply;
import dev.quorum.config.Directory;
import dev.quorum.request.Request;
import dev.quorum.request.RequestType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The approval card: what will happen, to which exact commits, with which evidence, under which
 * rule, who may vote, and where the votes stand, with Approve and Reject while the window is
 * open. Edited in place as votes arrive. Pure rendering.
 */
public final class ApprovalCard {
    private final Directory directory;
    private final Links links;

    public ApprovalCard(Directory directory, Links links) {
        this.directory = directory;
        this.links = links;
    }

    public Reply render(Request r, ActionRecord a, List<Vote> votes, String evidenceLine, Instant now) {
        Subject s = a.subject();
        List<Reply.Field> fields = new ArrayList<>();
        fields.add(new Reply.Field("what happens", whatHappens(r.type(), s)));
        if (!a.diffSummary().isEmpty()) fields.add(new Reply.Field("change", a.diffSummary()));
        fields.add(new Reply.Field("evidence", evidenceLine));
        fields.add(new Reply.Field("policy", a.policy().describe()));
        fields.add(new Reply.Field("may vote", mayVote(a.policy())));
        fields.add(new Reply.Field("authors (cannot approve)", String.join(", ", authorNames(a.authors()))));
        Tally tally = Tally.of(a.policy(), votes);
        fields.add(new Reply.Field("tally", a.votesVoid() ? "void: the subject moved" : tally.line()));
        String status = switch (r.state()) {
            case AWAITING_APPROVAL -> a.quorumReached() != null ? "quorum reached; waits for the freeze to end"
                    : "awaiting approval, closes in " + remaining(a.expiresAt(), now);
            case EXECUTING -> "quorum reached: executing";
            case DONE -> "done" + (r.summary() == null ? "" : ": " + r.summary());
            default -> r.state().wire() + (r.reason() == null ? "" : ": " + r.reason());
        };
        Reply.Tone tone = switch (r.state()) {
            case DONE -> Reply.Tone.SUCCESS;
            case AWAITING_APPROVAL, EXECUTING, VERIFYING, QUEUED -> Reply.Tone.INFO;
            case FAILED -> Reply.Tone.ERROR;
            default -> Reply.Tone.WARNING;
        };
        List<Reply.Button> buttons = r.state() == dev.quorum.request.RequestState.AWAITING_APPROVAL && a.quorumReached() == null
                ? List.of(new Reply.Button("Approve", "approve " + r.id(), Reply.Button.Style.PRIMARY),
                          new Reply.Button("Reject", "reject " + r.id(), Reply.Button.Style.DANGER))
                : List.of();
        return Reply.text(r.id() + " · " + title(r.type(), s) + " — " + status)
                .withTone(tone).withFields(fields).withButtons(buttons).withLink(links.requestLink(r.id())).about(r.id());
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

    private String mayVote(AppliedPolicy p) {
        List<String> parts = new ArrayList<>();
        for (String group : p.eligible()) parts.add(group + ": " + String.join(", ", directory.memberNames(group)));
        return String.join("; ", parts);
    }

    private List<String> authorNames(List<Identity> authors) {
        Set<String> names = new LinkedHashSet<>();
        authors.forEach(a -> names.add(directory.nameOf(a)));
        return List.copyOf(names);
    }

    private static String remaining(Instant until, Instant now) {
        long s = Math.max(0, Duration.between(now, until).toSeconds());
        if (s >= 3600) return s / 3600 + "h" + (s % 3600 >= 60 ? " " + (s % 3600) / 60 + "m" : "");
        if (s >= 60) return s / 60 + "m";
        return s + "s";
    }
}
