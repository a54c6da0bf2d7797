package dev.quorum.chat.discord;

import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;
import net.dv8tion.jda.api.utils.data.DataObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JDA's session controller, but the gateway address comes from {@code GET gateway/bot} of the
 * configured REST base ({@code DISCORD_API_URL}) instead of JDA's built-in
 * {@code wss://gateway.discord.gg}, so a proxy or the tests' fake Discord serves both. Asked on
 * every new connection (JDA resets the address after a failed connect); a resume goes to the
 * {@code resume_gateway_url} Discord gave in READY, as JDA does by itself.
 */
final class GatewayAddressController extends ConcurrentSessionController {
    static final String USER_AGENT = "DiscordBot (https://github.com/quorum, 0.1)";
    private final URI apiUrl;
    private final String token;

    GatewayAddressController(URI apiUrl, String token) {
        this.apiUrl = apiUrl;
        this.token = token;
    }

    @Override
    public String getGateway() {
        HttpRequest request = HttpRequest.newBuilder(apiUrl.resolve("gateway/bot")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bot " + token).header("User-Agent", USER_AGENT).GET().build();
        HttpResponse<String> response;
        // A client per question (asked once per new connection), shut down at once: no threads outlive a JDA.
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot ask " + apiUrl + " for the Discord gateway: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking for the Discord gateway", e);
        } finally {
            http.shutdownNow();
        }
        if (response.statusCode() == 401) throw new InvalidTokenException();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + apiUrl.resolve("gateway/bot") + " answered HTTP " + response.statusCode());
        }
        String url = DataObject.fromJson(response.body()).getString("url", "");
        if (!url.startsWith("wss://") && !url.startsWith("ws://")) {
            throw new IllegalStateException("gateway/bot gave no WebSocket address: " + url);
        }
        return url;
    }
}
