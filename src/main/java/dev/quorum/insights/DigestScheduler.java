package dev.quorum.insights;

import dev.quorum.command.Command;
import dev.quorum.config.DigestConfig;
import dev.quorum.conversation.Reply;
import dev.quorum.store.Redis;
import io.lettuce.core.SetArgs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.function.Consumer;

/**
 * Posts the digest when {@code digest.schedule} says, from one instance only: every instance looks every
 * {@link #TICK}, and the one whose {@code SET NX} of the due time's key succeeds posts it. A due time more than
 * {@link #GRACE} ago is let go (an instance started late does not post last week's digest); the key outlives the
 * grace, so no instance can claim the same due time twice.
 */
final class DigestScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DigestScheduler.class);
    static final Duration TICK = Duration.ofSeconds(30);
    static final Duration GRACE = Duration.ofHours(1);
    private static final Duration CLAIM_TTL = GRACE.plusDays(1);
    /** A due time's claim; {@code {q}} keeps it in the slot of Quorum's other keys on a cluster. */
    static final String CLAIM = "{q}:digest:";

    private final Digest digest;
    private final Redis redis;
    private final DigestConfig.When when;
    private final Command.Digest.Period period;
    private final ZoneId zone;
    private final Clock clock;
    private final String instance;
    private final Consumer<Reply> post;
    private volatile boolean closed;
    private Thread thread;

    DigestScheduler(Digest digest, Redis redis, DigestConfig config, Clock clock, String instance, Consumer<Reply> post) {
        this.digest = digest;
        this.redis = redis;
        this.when = config.when().orElseThrow(() -> new IllegalArgumentException("digest.schedule is not set"));
        this.period = Command.Digest.Period.valueOf(config.period().toUpperCase(java.util.Locale.ROOT));
        this.zone = ZoneId.of(config.zone());
        this.clock = clock;
        this.instance = instance;
        this.post = post;
    }

    /** The latest due time at or before {@code now}. */
    ZonedDateTime lastDue(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime due = local.with(when.at()).truncatedTo(ChronoUnit.MINUTES);
        if (when.day() != null) due = due.with(TemporalAdjusters.previousOrSame(when.day()));
        if (due.isAfter(local)) due = when.day() == null ? due.minusDays(1) : due.minusWeeks(1);
        return due;
    }

    /** One look: claims and posts the digest of the latest due time when it is recent and nobody claimed it. @return whether this posted */
    boolean tick() {
        Instant now = clock.instant();
        ZonedDateTime due = lastDue(now);
        if (Duration.between(due.toInstant(), now).compareTo(GRACE) > 0) return false;
        LocalDate until = due.toLocalDate().minusDays(1); // the whole days before the due date
        LocalDate since = until.minusDays(period.days() - 1);
        String key = CLAIM + period.word() + ":" + since;
        if (!"OK".equals(redis.sync().set(key, instance, SetArgs.Builder.nx().ex(CLAIM_TTL)))) return false;
        try {
            post.accept(digest.of(period, until));
        } catch (RuntimeException e) {
            redis.sync().del(key); // not posted: the next look of any instance, within the grace, tries again
            throw e;
        }
        LOG.info("Posted the {} digest due at {}", period.word(), due);
        return true;
    }

    void start() {
        thread = Thread.ofVirtual().name("digest-scheduler").start(this::run);
    }

    private void run() {
        while (!closed) {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.warn("The scheduled digest could not be posted; the next look tries again: {}", e.toString());
            }
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    boolean running() {
        return thread != null && thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        if (thread == null) return;
        thread.interrupt();
        thread.join(Duration.ofSeconds(5));
    }
}
