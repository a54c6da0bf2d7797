package dev.quorum.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.chat.Reply;
import dev.quorum.command.RequestDetails;
import dev.quorum.request.Request;
import dev.quorum.request.RequestFacet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A request's evidence as the API ({@code evidence}), {@code status <id>} and the log download show it. */
public final class EvidenceViews implements RequestFacet, RequestDetails {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EvidenceStore store;
    private final EvidenceService service;

    public EvidenceViews(EvidenceStore store, EvidenceService service) {
        this.store = store;
        this.service = service;
    }

    @Override
    public String name() {
        return "evidence";
    }

    /** The record exactly as sealed, so a client can recompute the digest. */
    @Override
    public Object of(Request request) {
        return store.digestOf(request.id()).flatMap(store::json).map(json -> {
            try {
                return JSON.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(null);
    }

    @Override
    public List<Reply.Field> fieldsFor(Request request) {
        return store.forRequest(request.id()).map(r -> List.of(new Reply.Field("evidence", EvidenceLine.of(r)))).orElse(List.of());
    }

    /** The full redacted log of the request's test run, when there is one. */
    public Optional<Path> logOf(String requestId) {
        return store.forRequest(requestId).map(service::logFile).filter(Files::isRegularFile);
    }
}
