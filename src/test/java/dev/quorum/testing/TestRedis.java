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
 */
public final class TestRedis {
    private static EmbeddedRedis server;
    private static String uri;

    private TestRedis() {}

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
