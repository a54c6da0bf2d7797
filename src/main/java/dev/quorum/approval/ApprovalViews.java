package dev.quorum.approval;

import dev.quorum.conversation.Reply;
import dev.quorum.command.RequestDetails;
import dev.quorum.request.Request;
import dev.quorum.request.RequestFacet;
import dev.quorum.request.RequestState;

import dev.quorum.config.Directory;
import dev.quorum.config.QuorumConfig;
import dev.quorum.repo.DiffRange;
import dev.quorum.repo.Sha;
import dev.quorum.request.RequestType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An action's subject, votes and tally, for {@code GET /api/requests/{id}} and {@code status <id>}. */
public final class ApprovalViews implements RequestDetails {
    private final ActionStore store;
    private final QuorumConfig config;
    private final Directory directory;

    public ApprovalViews(ActionStore store, QuorumConfig config, Directory directory) {
        this.store = store;
        this.config = config;
        this.directory = directory;
    }

    /** {@code subject}: SPEC §7's target, source_sha, merge_sha, evidence_digest (and more). */
    public RequestFacet subject() {
        return facet("subject", r -> store.find(r.id()).map(a -> (Object) a.subject().toMap()).orElse(null));
    }

    /** {@code votes}: {@code [{voter, vote, at}]} plus name, reason, groups and whether they still count. */
    public RequestFacet votes() {
        return facet("votes", r -> {
            boolean voided = store.find(r.id()).map(ActionRecord::votesVoid).orElse(false);
            List<Map<String, Object>> out = new ArrayList<>();
            for (Vote v : store.votes(r.id())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("voter", v.voter());
                m.put("vote", v.vote());
                m.put("at", v.at().toString());
                m.put("name", v.name());
                m.put("reason", v.reason());
                m.put("groups", v.groups());
                m.put("void", voided);
                out.add(m);
            }
            return out;
        });
    }

    /** {@code tally}: the rule and where the votes stand. */
    public RequestFacet tally() {
        return facet("tally", r -> store.find(r.id()).map(a -> {
            Tally t = Tally.of(a.policy(), store.votes(r.id()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy", a.policy().describe());
            m.put("approvals", t.approvers().size());
            m.put("needed", t.needed());
            m.put("missing", t.missing());
            m.put("line", t.line());
            m.put("authors", a.authors().stream().map(Object::toString).toList());
            m.put("author_names", a.authors().stream().map(directory::nameOf).distinct().toList());
            m.put("expires_at", a.expiresAt().toString());
            m.put("quorum_reached_at", a.quorumReached() == null ? null : a.quorumReached().toString());
            m.put("change", a.diffSummary());
            return (Object) m;
        }).orElse(null));
    }

    /**
     * The change votes are about: a merge's target (as verified) to the tested merge result; a deploy's environment
     * (what it ran when the card was posted) to the commit it deploys, or everything when it never ran anything.
     * Empty before verification, and when the repository is no longer configured.
     */
    public Optional<DiffRange> diffRange(Request r) {
        if (!r.type().isAction()) return Optional.empty();
        return store.find(r.id()).map(ActionRecord::subject).filter(s -> config.repos().containsKey(s.repo())).map(s -> {
            if (r.type() == RequestType.MERGE) {
                boolean fastForward = s.resultSha().equals(s.sourceSha());
                return new DiffRange(s.repo(), s.targetSha(), s.target(), s.resultSha(),
                        fastForward ? s.source() + " (a fast-forward)" : "the merge of " + s.source(), null);
            }
            return new DiffRange(s.repo(), s.targetSha(), s.target() + " (deployed)", s.resultSha(), s.source(),
                    s.targetSha() == null ? "The first deploy to " + s.target() + ": Quorum never deployed there, so everything in "
                            + Sha.abbrev(s.resultSha()) + " is shown as new." : null);
        });
    }

    @Override
    public List<Reply.Field> fieldsFor(Request request) {
        return store.find(request.id()).map(a -> List.of(
                new Reply.Field("subject", ApprovalCard.whatHappens(request.type(), a.subject())),
                new Reply.Field("tally", tallyText(request, a)),
                new Reply.Field("policy", a.policy().describe()))).orElse(List.of());
    }

    /** Where the votes stand; what is still needed only while votes are open. */
    private String tallyText(Request r, ActionRecord a) {
        return ApprovalCard.tallyText(a, Tally.of(a.policy(), store.votes(r.id())),
                r.state() == RequestState.AWAITING_APPROVAL && a.quorumReached() == null);
    }

    private static RequestFacet facet(String name, java.util.function.Function<Request, Object> of) {
        return new RequestFacet() {
            public String name() {
                return name;
            }

            public Object of(Request request) {
                return of.apply(request);
            }
        };
    }
}
