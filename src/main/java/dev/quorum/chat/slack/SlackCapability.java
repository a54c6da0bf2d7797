package dev.quorum.chat.slack;

import com.slack.api.Slack;
import com.slack.api.app_backend.SlackSignature;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.builtin.RequestVerification;
import com.slack.api.bolt.middleware.builtin.SSLCheck;
import com.slack.api.util.http.SlackHttpClient;
import dev.quorum.Assembly;
import dev.quorum.config.SlackConfig;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the Slack adapter when a bot token and a signing secret are configured (SPEC §1):
 * HTTP events on {@code POST /slack/events}, or Socket Mode when an app token is set, and Web API
 * calls to {@code slack.api_url}.
 */
public final class SlackCapability {
    private static final int HTTP_TIMEOUT_MILLIS = 10_000;
    private static final int IDLE_CONNECTIONS = RateLimitedSlackClient.MAX_IN_FLIGHT;

    private SlackCapability() {}

    public static void install(Assembly a) {
        SlackConfig config = a.config().slack();
        if (!config.enabled()) return;
        Slack slack = client(config);
        a.onClose(slack);
        RateLimitedSlackClient api = new RateLimitedSlackClient(slack.methods(config.botToken()));
        SlackInbound inbound = new SlackInbound();
        App app = boltApp(config, slack);
        inbound.register(app);
        a.adapter(new SlackAdapter(api, new BlockKitRenderer(a.links()), inbound, app,
                config.socketMode() ? config.appToken() : null));
        if (!config.socketMode()) a.endpoint(new SlackEvents(app));
    }

    /**
     * Slack's client pointed at {@code slack.api_url}, its background statistics off, and a pool
     * that keeps as many connections as Quorum has calls in flight: OkHttp's default keeps 5 and
     * closes the rest after each burst, so every burst paid for new connections (and handshakes).
     */
    private static Slack client(SlackConfig config) {
        com.slack.api.SlackConfig c = clientConfig(config);
        OkHttpClient ok = SlackHttpClient.buildOkHttpClient(c).newBuilder()
                .connectionPool(new ConnectionPool(IDLE_CONNECTIONS, 5, TimeUnit.MINUTES)).build();
        return Slack.getInstance(c, new SlackHttpClient(ok));
    }

    private static com.slack.api.SlackConfig clientConfig(SlackConfig config) {
        com.slack.api.SlackConfig c = new com.slack.api.SlackConfig();
        c.setMethodsEndpointUrlPrefix(config.apiUrl().endsWith("/") ? config.apiUrl() : config.apiUrl() + "/");
        c.setStatsEnabled(false);
        c.setHttpClientReadTimeoutMillis(HTTP_TIMEOUT_MILLIS);
        c.setHttpClientWriteTimeoutMillis(HTTP_TIMEOUT_MILLIS);
        c.setHttpClientCallTimeoutMillis(2 * HTTP_TIMEOUT_MILLIS);
        return c;
    }

    /**
     * Bolt with two of its middlewares: the answer to Slack's certificate check ({@code ssl_check},
     * unsigned, does nothing) and its request verification (signature and 5-minute window). Bolt's
     * defaults would add {@code auth.test} and {@code bots.info} calls on the way to the ack;
     * Quorum asks {@code auth.test} once at start and tells bots apart itself.
     */
    private static App boltApp(SlackConfig config, Slack slack) {
        AppConfig appConfig = AppConfig.builder()
                .singleTeamBotToken(config.botToken())
                .signingSecret(config.signingSecret())
                .slack(slack)
                .allEventsApiAutoAckEnabled(true)
                .build();
        List<Middleware> middleware = new ArrayList<>();
        middleware.add(new SSLCheck(null));
        middleware.add(new RequestVerification(new SlackSignature.Verifier(new SlackSignature.Generator(config.signingSecret()))));
        return new App(appConfig, middleware);
    }
}
