package dev.quorum.testing;

import dev.quorum.config.RedisConfig;
import dev.quorum.store.EmbeddedRedis;
import dev.quorum.store.Redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real redis-server for the whole test JVM (started on first use, stopped at exit), and a
 * way to start from an empty database. Tests run one at a time in a JVM, so flushing is enough
 * isolation; Surefire runs several test JVMs side by side (forkCount in pom.xml), and each one
 * starts a server of its own, on a free port with its own folder, so no JVM flushes another's data.
 * It is an {@link EmbeddedRedis} like Quorum's own, so it admits only its user: {@link #uri()}
 * carries the user and password ({@code redis://quorum:...@127.0.0.1:port}).
 *
 * <p>Its append-only file is synced once a second, not at every write as Quorum's default is: on a
 * busy disk a sync takes milliseconds, paid by every write of every test, and no test stops this
 * server (durability is tested on servers of their own: EmbeddedRedisReliabilityTest, KillableRedis).
 */
public final class TestRedis {
    private static EmbeddedRedis server;
    private static String uri;

    private TestRedis() {}

    /** The URI with the credentials in it; pass it as {@code REDIS_URL} to a Quorum or a CLI process. */
    public static synchronized String uri() {
        if (uri == null) {
            try {
                Path dir = Files.createTempDirectory("quorum-test-redis");
                server = new EmbeddedRedis(dir, 0, RedisConfig.Fsync.EVERYSEC);
                uri = server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return uri;
    }

    /** A connection to an emptied database. */
    public static Redis fresh() {
        Redis r = Redis.connect(uri());
        r.sync().flushall();
        return r;
    }

    public static void flush() {
        try (Redis r = Redis.connect(uri())) {
            r.sync().flushall();
        }
    }
}
