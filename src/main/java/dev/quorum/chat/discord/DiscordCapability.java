package dev.quorum.chat.discord;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.Assembly;
import dev.quorum.config.DiscordConfig;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the Discord adapter when a bot token is configured (SPEC §1): REST calls to
 * {@code discord.api_url} from every instance, and the gateway session (JDA) on the one instance
 * that holds its lease in Redis, with {@link DiscordInbound} listening.
 */
public final class DiscordCapability {
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private DiscordCapability() {}

    public static void install(Assembly a) {
        DiscordConfig config = a.config().discord();
        if (!config.enabled()) return;
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(HTTP_TIMEOUT).readTimeout(HTTP_TIMEOUT).writeTimeout(HTTP_TIMEOUT).callTimeout(HTTP_TIMEOUT.multipliedBy(2))
                .connectionPool(new ConnectionPool(DiscordRest.MAX_IN_FLIGHT, 5, TimeUnit.MINUTES))
                .build();
        a.onClose(() -> {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        });
        ObjectMapper json = new ObjectMapper();
        DiscordRest rest = new DiscordRest(http, config.apiUrl(), config.botToken(), json);
        ButtonRecords buttons = new ButtonRecords(a.redis());
        DiscordInbound inbound = new DiscordInbound(rest, buttons, a.requests().store(), config.guilds());
        a.adapter(new DiscordAdapter(rest, new DiscordRenderer(json, buttons, a.links()), buttons, inbound,
                gateway(a, config, inbound)));
    }

    /** The session with its lease; this instance answers interactions it receives, any instance posts. */
    private static DiscordAdapter.Gateway gateway(Assembly a, DiscordConfig config, DiscordInbound inbound) {
        return new LeasedSession(new DiscordGateway(config.botToken(), URI.create(config.apiUrl()), a.redis(), a.instanceId(),
                a.clock(), List.of(inbound)));
    }

    /** {@link DiscordGateway} as the adapter sees it. */
    record LeasedSession(DiscordGateway session) implements DiscordAdapter.Gateway {
        @Override
        public void start() {
            session.start();
        }

        @Override
        public void stop() {
            session.stop();
        }

        /** UP on every instance: each posts over REST, and a standby one takes the session over when needed. */
        @Override
        public String health() {
            return "UP";
        }
    }
}
