package dev.quorum.agent.bench;

import static dev.quorum.agent.testing.FakeOpenAiServer.call;

import dev.quorum.agent.testing.FakeOpenAiServer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's model, run in its own JVM so that its CPU does not count as Quorum's. Answers every chat request
 * after a fixed delay, by the conversation's state alone (so any number of runs can share it): first and second call
 * ask for search_docs, the third answers with a citation. Prints {@code PORT <n>} when ready; stops when its standard
 * input closes.
 */
public final class FakeModelServerMain {

    private FakeModelServerMain() {
    }

    public static void main(String[] args) throws Exception {
        long delayMillis = Long.parseLong(args[0]);
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.respondWith(request -> {
                long toolResults = request.json().getJsonArray("messages").stream()
                        .filter(m -> "tool".equals(((JsonObject) m).getString("role"))).count();
                var reply = toolResults == 0 ? FakeOpenAiServer.toolCalls(call("search_docs", "{\"query\":\"deploy staging\"}"))
                        : toolResults == 1 ? FakeOpenAiServer.toolCalls(call("search_docs", "{\"query\":\"rollback release\"}"))
                        : FakeOpenAiServer.text("Deploys need one approval [1]; rollbacks use the release tag [2].");
                return reply.delayedBy(delayMillis);
            });
            System.out.println("PORT " + server.port());
            System.out.flush();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // wait for the parent to close our input
                }
            }
        }
    }
}
