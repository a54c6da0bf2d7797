package dev.quorum.chat.discord;

import dev.quorum.config.ConfigException;
import dev.quorum.store.Redis;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Discord's gateway (JDA) on exactly one of the Quorum instances that share a Redis: the one
 * holding the {@link GatewayLease}. The holder connects JDA (intents: guild messages, direct
 * messages, message content; REST base and gateway address from {@code DISCORD_API_URL}),
 * renews its lease every third of the TTL and shuts its JDA down as soon as a renewal fails
 * or its own clock says the lease may have run out; the others try to take the lease every
 * second, so one takes over within seconds of the holder's death. Resuming after a dropped
 * connection is JDA's own. A refused privileged intent (4014) or token (4004, HTTP 401) is a
 * {@link ConfigException} from {@link #start()}, with one line saying what to change.
 */
public final class DiscordGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordGateway.class);
    static final String CONFIG_KEY = "discord.bot_token";
    static final String INTENT_REFUSED = "Discord refused the gateway: enable \"Message Content Intent\" under Bot → "
            + "Privileged Gateway Intents in the Discord developer portal";
    static final String TOKEN_REFUSED = "Discord refused the token: set DISCORD_BOT_TOKEN to the bot's token "
            + "(Bot → Reset Token in the Discord developer portal)";
    static final Duration LEASE_TTL = Duration.ofSeconds(6);
    static final Duration RETRY = Duration.ofSeconds(1);
    static final EnumSet<GatewayIntent> INTENTS = EnumSet.of(GatewayIntent.GUILD_MESSAGES, GatewayIntent.DIRECT_MESSAGES,
            GatewayIntent.MESSAGE_CONTENT);

    private final String token;
    private final URI apiUrl;
    private final String instanceId;
    private final Clock clock;
    private final List<Object> listeners;
    private final GatewayLease lease;
    private final Duration retry;
    private final AtomicInteger takeAttempts = new AtomicInteger();
    private final Object lock = new Object();
    // guarded by lock
    private JDA jda;
    private long renewedAt;
    private volatile boolean holds;
    private volatile boolean running;
    private Thread loop;

    /**
     * @param apiUrl       the REST base, e.g. {@code https://discord.com/api/v10/} (with the trailing slash)
     * @param instanceId   this Quorum instance's id, the lease's value
     * @param jdaListeners JDA event listeners (the adapter's), registered on every JDA this instance starts
     */
    public DiscordGateway(String token, URI apiUrl, Redis redis, String instanceId, Clock clock, List<Object> jdaListeners) {
        this(token, apiUrl, redis, instanceId, clock, jdaListeners, LEASE_TTL, RETRY);
    }

    DiscordGateway(String token, URI apiUrl, Redis redis, String instanceId, Clock clock, List<Object> jdaListeners,
                   Duration leaseTtl, Duration retry) {
        this.token = token;
        this.apiUrl = apiUrl;
        this.instanceId = instanceId;
        this.clock = clock;
        this.listeners = List.copyOf(jdaListeners);
        this.lease = new GatewayLease(redis, instanceId, leaseTtl, leaseTtl.dividedBy(3));
        this.retry = retry;
    }

    /**
     * Takes the lease if it is free and then connects (waiting for READY), else leaves the
     * session to its holder; either way keeps watching the lease from then on.
     *
     * @throws ConfigException when Discord refuses the token or the Message Content intent
     */
    public void start() {
        running = true;
        step(true);
        loop = Thread.ofVirtual().name("discord-gateway-lease").start(this::watch);
    }

    /** True while this instance holds the lease and runs the gateway session. */
    public boolean holdsSession() {
        synchronized (lock) {
            return holds && jda != null;
        }
    }

    /** This instance's JDA while it holds the session. */
    public Optional<JDA> jda() {
        synchronized (lock) {
            return holds ? Optional.ofNullable(jda) : Optional.empty();
        }
    }

    /** Closes the session (Discord ends it) and gives the lease up, so another instance takes over at once. */
    public void stop() {
        running = false;
        Thread t = loop;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        disconnect();
        giveUp(); // compare-and-delete: nothing happens unless this instance holds the lease
    }

    @Override
    public void close() {
        stop();
    }

    /** How many times this instance tried to take a lease it did not hold (for tests and the log). */
    int takeAttempts() {
        return takeAttempts.get();
    }

    /** As if this process died: no more renewals, no release, the connection gone. */
    void dieForTest() throws InterruptedException {
        running = false;
        Thread t = loop;
        if (t != null) {
            t.interrupt();
            t.join();
        }
        synchronized (lock) {
            if (jda != null) jda.shutdownNow();
            jda = null;
        }
    }

    private void watch() {
        while (running) {
            try {
                Thread.sleep(holds ? lease.ttl().dividedBy(3) : retry);
            } catch (InterruptedException e) {
                return;
            }
            if (!running) return;
            try {
                step(false);
            } catch (RuntimeException e) {
                LOG.warn("Discord gateway lease: {}", e.getMessage());
            }
        }
    }

    /** One turn: a holder renews (or lets go); anyone else tries to take the lease and connect. */
    private void step(boolean starting) {
        if (holds) {
            renewOrLetGo();
            return;
        }
        takeAttempts.incrementAndGet();
        if (!lease.tryTake()) return;
        synchronized (lock) {
            holds = true;
            renewedAt = clock.millis();
        }
        try {
            connect();
            LOG.info("This instance ({}) holds the Discord gateway session", instanceId);
        } catch (ConfigException e) {
            giveUp();
            if (starting) throw e;
            // A takeover refused for good: trying again every second would only repeat the refusal.
            running = false;
            LOG.error(e.getMessage());
        } catch (RuntimeException e) {
            if (!running) {
                // stop() interrupted the connect; it releases the lease itself
                synchronized (lock) {
                    holds = false;
                }
                return;
            }
            giveUp();
            LOG.warn("Could not connect to the Discord gateway: {}", e.getMessage());
        }
    }

    private void renewOrLetGo() {
        boolean kept;
        String why;
        try {
            kept = lease.renew();
            why = "another instance holds it now";
        } catch (RuntimeException e) {
            // Redis is away: hold on only while the lease cannot have expired yet by this instance's clock.
            kept = clock.millis() - renewedAt < lease.ttl().toMillis() * 2 / 3;
            why = e.getMessage();
            if (kept) return;
        }
        JDA current;
        synchronized (lock) {
            current = jda;
            if (kept) renewedAt = clock.millis();
        }
        if (kept && current != null && current.getStatus() != JDA.Status.SHUTDOWN) return;
        if (kept) {
            // Our JDA ended by itself (a close it cannot recover from): let another instance try.
            LOG.warn("The Discord gateway session ended; giving up the gateway lease");
        } else {
            LOG.warn("This instance lost the Discord gateway lease ({}); closing its gateway session", why);
        }
        disconnect();
        giveUp();
    }

    private void giveUp() {
        synchronized (lock) {
            holds = false;
        }
        try {
            lease.release();
        } catch (RuntimeException e) {
            LOG.warn("Could not release the Discord gateway lease (it expires by itself): {}", e.getMessage());
        }
    }

    private void connect() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        AtomicInteger closeCode = new AtomicInteger();
        EventListener watch = (GenericEvent event) -> {
            if (event instanceof ReadyEvent) ready.complete(null);
            if (event instanceof ShutdownEvent s) {
                closeCode.set(s.getCode());
                ready.completeExceptionally(new IllegalStateException("the gateway closed with " + s.getCode()));
            }
        };
        JDA started;
        try {
            started = JDABuilder.createLight(token, INTENTS)
                    .setRestConfig(new RestConfig().setBaseUrl(apiUrl.toString()))
                    .setSessionController(new GatewayAddressController(apiUrl, token))
                    .setEnableShutdownHook(false)
                    .addEventListeners(watch)
                    .addEventListeners(listeners.toArray())
                    .build();
        } catch (InvalidTokenException e) {
            throw new ConfigException(CONFIG_KEY, "***", TOKEN_REFUSED);
        }
        synchronized (lock) {
            jda = started;
        }
        try {
            // READY must come well within the lease's TTL, which nobody renews until then.
            ready.get(lease.ttl().toMillis() * 2 / 3, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            disconnect();
            throw switch (closeCode.get()) {
                case 4014 -> new ConfigException(CONFIG_KEY, "***", INTENT_REFUSED);
                case 4004 -> new ConfigException(CONFIG_KEY, "***", TOKEN_REFUSED);
                default -> new IllegalStateException(e instanceof TimeoutException
                        ? "no READY from the Discord gateway in time" : e.getCause().getMessage());
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnect();
            throw new IllegalStateException("interrupted while connecting to the Discord gateway");
        }
    }

    /** Shuts this instance's JDA down, politely (a close 1000 ends the session at Discord) and then for sure. */
    private void disconnect() {
        JDA current;
        synchronized (lock) {
            current = jda;
            jda = null;
        }
        if (current == null) return;
        current.shutdown();
        try {
            if (!current.awaitShutdown(3, TimeUnit.SECONDS)) current.shutdownNow();
        } catch (InterruptedException e) {
            current.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
