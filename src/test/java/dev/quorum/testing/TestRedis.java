package dev.quorum.testing;

import dev.quorum.store.EmbeddedRedis;
import dev.quorum.store.Redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real redis-server for the whole test JVM (started on first use, stopped at exit), and a
 * way to start from an empty database. Tests run one at a time, so flushing is enough isolation.
 * It is an {@link EmbeddedRedis} like Quorum's own, so it admits only its user: {@link #uri()}
 * carries the user and password ({@code redis://quorum:...@127.0.0.1:port}).
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
                server = new EmbeddedRedis(dir, 0);
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
