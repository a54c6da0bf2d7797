package dev.quorum.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.conversation.Reply;
import dev.quorum.command.RequestDetails;
import dev.quorum.request.Request;
import dev.quorum.request.RequestFacet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A request's evidence as the API ({@code evidence}, {@code evidence_seal}), {@code status <id>}
 * and the log download show it. A record without a seal (stored before keying began) is shown,
 * marked unsealed; a changed or forged one is not shown at all.
 */
public final class EvidenceViews implements RequestFacet, RequestDetails {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EvidenceStore store;
    private final EvidenceService service;
    private final List<Function<String, Optional<String>>> attached = new CopyOnWriteArrayList<>();

    public EvidenceViews(EvidenceStore store, EvidenceService service) {
        this.store = store;
        this.service = service;
    }

    /**
     * Another source of a request's evidence, asked when the request ran no tests itself: a deploy of a commit that
     * had passed already carries that evidence (its votes are bound to it). Given a request id, the evidence digest.
     */
    public void attach(Function<String, Optional<String>> digestOfRequest) {
        attached.add(digestOfRequest);
    }

    @Override
    public String name() {
        return "evidence";
    }

    /** The record exactly as sealed, so a client can recompute the digest. */
    @Override
    public Object of(Request request) {
        return visible(request.id()).map(v -> {
            try {
                return JSON.readTree(v.json());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(null);
    }

    /** {@code evidence_seal}: {@code sealed}, {@code unsealed} (never used for a vote) or {@code invalid}; null without evidence. */
    public RequestFacet seal() {
        return new RequestFacet() {
            @Override
            public String name() {
                return "evidence_seal";
            }

            @Override
            public Object of(Request request) {
                return switch (stored(request.id())) {
                    case StoredEvidence.Sealed s -> "sealed";
                    case StoredEvidence.Unsealed u -> "unsealed";
                    case StoredEvidence.Broken b -> "invalid";
                    case StoredEvidence.Missing m -> null;
                };
            }
        };
    }

    @Override
    public List<Reply.Field> fieldsFor(Request request) {
        return switch (stored(request.id())) {
            case StoredEvidence.Sealed s -> List.of(new Reply.Field("evidence", EvidenceLine.of(s.record())));
            case StoredEvidence.Unsealed u -> List.of(new Reply.Field("evidence", EvidenceLine.of(u.record()) + " · unsealed"));
            case StoredEvidence.Broken b -> List.of(new Reply.Field("evidence", "invalid: the stored record " + b.problem()));
            case StoredEvidence.Missing m -> List.of();
        };
    }

    /** The full redacted log of the request's test run, when there is one. */
    public Optional<Path> logOf(String requestId) {
        return visible(requestId).map(v -> service.logFile(v.record())).filter(Files::isRegularFile);
    }

    /** A record that may be shown: sealed, or intact without a seal. */
    private record Visible(EvidenceRecord record, String json) {}

    private Optional<Visible> visible(String requestId) {
        return switch (stored(requestId)) {
            case StoredEvidence.Sealed s -> Optional.of(new Visible(s.record(), s.json()));
            case StoredEvidence.Unsealed u -> Optional.of(new Visible(u.record(), u.json()));
            case StoredEvidence.Broken b -> Optional.empty();
            case StoredEvidence.Missing m -> Optional.empty();
        };
    }

    private StoredEvidence stored(String requestId) {
        Optional<String> digest = store.digestOf(requestId);
        for (var it = attached.iterator(); digest.isEmpty() && it.hasNext(); ) digest = it.next().apply(requestId);
        return digest.map(store::inspect).orElseGet(StoredEvidence.Missing::new);
    }
}
