package dev.quorum.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real Server-Sent Events client over HTTP, reading events into a queue to await in tests. */
public final class SseClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event: its {@code event:} name and parsed {@code data:}. */
    public record Event(String id, String kind, JsonNode data) {
        public String text() {
            return data.path("text").asText();
        }
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Event> seen = new ArrayList<>();
    private final List<Event> passedOver = new ArrayList<>();
    private final Thread reader;
    private volatile InputStream body;

    private final java.util.concurrent.CompletableFuture<Integer> status = new java.util.concurrent.CompletableFuture<>();

    public SseClient(HttpClient http, String url) {
        this(http, url, java.util.Map.of());
    }

    /** Opens the stream with these request headers (a credential: Quorum takes none in the URL). */
    public SseClient(HttpClient http, String url, java.util.Map<String, String> headers) {
        reader = Thread.ofVirtual().start(() -> {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
                headers.forEach(request::header);
                HttpResponse<InputStream> res = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                body = res.body();
                status.complete(res.statusCode());
                BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                String id = null, kind = "message";
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) events.add(new Event(id, kind, JSON.readTree(data.toString())));
                        id = null;
                        kind = "message";
                        data.setLength(0);
                    } else if (line.startsWith("id: ")) id = line.substring(4);
                    else if (line.startsWith("event: ")) kind = line.substring(7);
                    else if (line.startsWith("data: ")) data.append(line.substring(6));
                }
            } catch (Exception e) {
                status.complete(-1); // closed by the test or the server
            }
        });
    }

    /** The HTTP status the stream was answered with (-1 when there was no answer). */
    public int status() throws Exception {
        return status.get(20, TimeUnit.SECONDS);
    }

    /**
     * Waits for the first event that matches and has not been awaited yet, failing after the
     * timeout. Events passed over stay available to later waits, because concurrent work may
     * answer in either order; all events stay readable in {@link #seen()}.
     */
    public Event await(Predicate<Event> match, Duration timeout) throws InterruptedException {
        for (int i = 0; i < passedOver.size(); i++) {
            if (match.test(passedOver.get(i))) return passedOver.remove(i);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching event within " + timeout + "; seen: "
                        + seen.stream().map(x -> x.kind() + ":" + x.text()).toList());
            }
            seen.add(e);
            if (match.test(e)) return e;
            passedOver.add(e);
        }
    }

    /** The next reply whose text contains {@code fragment}. */
    public Event awaitReply(String fragment) throws InterruptedException {
        return await(e -> e.kind().equals("reply") && e.text().contains(fragment), Duration.ofSeconds(20));
    }

    public List<Event> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        InputStream b = body;
        try {
            if (b != null) b.close();
        } catch (java.io.IOException ignored) {
            // the stream is going away either way
        }
        reader.interrupt();
    }
}
