package dev.quorum.web;

import dev.quorum.request.Request;
import dev.quorum.request.RequestPage;
import dev.quorum.request.RequestQuery;
import dev.quorum.request.RequestStore;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/requests.csv}: every page of the history a filter selects, as CSV (RFC 4180), written page by page
 * from a virtual thread as the client takes it, so 100,000 rows are never held at once. Every cell is quoted, with
 * its quotes doubled; a cell a spreadsheet would read as a formula (starting with {@code = + - @}, a tab or a carriage
 * return: OWASP's CSV injection list) gets a leading {@code '}, so a request's text cannot run in the reader's
 * spreadsheet.
 */
final class HistoryCsv {
    static final List<String> COLUMNS = List.of("id", "type", "state", "requester", "requester_name", "created_at", "updated_at",
            "text", "summary", "reason", "rerun_of", "cost_usd", "adapter", "channel");
    private static final long WRITE_TIMEOUT_S = 60;

    private HistoryCsv() {}

    /**
     * Streams every page; blocking (a virtual thread). The first page is read before anything is sent, so a Redis that
     * does not answer is a 503 rather than a cut CSV; a failure later cuts the response (a client sees no end).
     */
    static void stream(RequestStore requests, RequestQuery query, HttpServerResponse response) throws Exception {
        RequestPage page = requests.list(query.from(null, RequestQuery.MAX_LIMIT));
        response.setChunked(true)
                .putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"quorum-history.csv\"")
                .putHeader("Cache-Control", "no-store");
        write(response, String.join(",", COLUMNS) + "\r\n");
        while (true) {
            StringBuilder chunk = new StringBuilder(page.requests().size() * 200);
            for (Request r : page.requests()) row(chunk, r);
            if (!chunk.isEmpty()) write(response, chunk.toString());
            if (page.next() == null) break;
            page = requests.list(query.from(page.next(), RequestQuery.MAX_LIMIT));
        }
        response.end().toCompletionStage().toCompletableFuture().get(WRITE_TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** Waits until the chunk is handed to the connection: the client's pace is the export's (no rows pile up here). */
    private static void write(HttpServerResponse response, String chunk) throws Exception {
        response.write(chunk).toCompletionStage().toCompletableFuture().get(WRITE_TIMEOUT_S, TimeUnit.SECONDS);
    }

    static void row(StringBuilder out, Request r) {
        Object[] cells = {r.id(), r.type().wire(), r.state().wire(), r.requester(), r.requesterName(), r.createdAt(), r.updatedAt(),
                r.text(), r.summary(), r.reason(), r.rerunOf(), r.costUsd(), r.origin().adapter(), r.origin().channel()};
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) out.append(',');
            cell(out, cells[i] == null ? "" : cells[i].toString());
        }
        out.append("\r\n");
    }

    static void cell(StringBuilder out, String value) {
        out.append('"');
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) out.append('\'');
        out.append(value.replace("\"", "\"\""));
        out.append('"');
    }
}
