package dev.quorum.attack;

import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.RespClient;
import dev.quorum.testing.SseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Code that runs next to Quorum (a test script with {@code sandbox.network: host} or
 * {@code sandbox: off}, another local user) and knows the embedded Redis's port, from the port
 * file or a port scan, tries to act as Quorum through Redis. None of it may work.
 */
class RedisExposureAttackTest {
    /** What the server may answer a client that has not authenticated (Redis 7 refuses DEBUG and MODULE to all first). */
    private static final String REFUSED = "-(NOAUTH|WRONGPASS|EXECABORT Transaction discarded because of: NOAUTH"
            + "|ERR (DEBUG|MODULE) command not allowed\\.) .*";

    @TempDir
    Path data;
    private QuorumHarness q;
    private int port;

    @BeforeEach
    void startQuorumOnItsEmbeddedRedis() throws Exception {
        q = QuorumHarness.start(data, QuorumHarness.bundledConfigText(), Map.of("REDIS_URL", ""), Clock.systemUTC());
        port = Integer.parseInt(Files.readString(data.resolve("redis/quorum-redis.port")).strip());
        q.say("dave", "freeze before the attack");
    }

    @AfterEach
    void stop() {
        q.close();
    }

    @Test
    void aClientWithOnlyThePortCanReadWriteScriptOrConfigureNothing() throws Exception {
        var quorum = q.quorum().redis().sync();
        long auditBefore = quorum.xlen("{q}:audit");
        List<List<String>> attacks = List.of(
                List.of("PING"),
                List.of("KEYS", "*"), List.of("SCAN", "0"), List.of("GET", "{q}:freeze"), List.of("HGETALL", "{q}:req:R1"),
                List.of("XRANGE", "{q}:audit", "-", "+"), List.of("DBSIZE"), List.of("INFO"),
                List.of("SET", "{q}:planted", "1"), List.of("DEL", "{q}:freeze"), List.of("XADD", "{q}:audit", "*", "type", "vote"),
                List.of("XDEL", "{q}:audit", "0-1"), List.of("HSET", "{q}:req:R1", "state", "done"), List.of("FLUSHALL"),
                List.of("EVAL", "return redis.call('SET', 'q:planted', 'by script')", "0"),
                List.of("EVALSHA", "0000000000000000000000000000000000000000", "0"), List.of("SCRIPT", "LOAD", "return 1"),
                List.of("FUNCTION", "LIST"), List.of("MULTI"), List.of("SET", "{q}:planted", "in a transaction"), List.of("EXEC"),
                List.of("CONFIG", "GET", "requirepass"), List.of("CONFIG", "GET", "*"), List.of("CONFIG", "SET", "dir", "/tmp"),
                List.of("ACL", "LIST"), List.of("ACL", "WHOAMI"), List.of("ACL", "SETUSER", "default", "on", "nopass", "~*", "+@all"),
                List.of("CLIENT", "LIST"), List.of("MONITOR"), List.of("SUBSCRIBE", "{q}:console:events"), List.of("PUBLISH", "{q}:cancel", "R1|stop"),
                List.of("REPLICAOF", "127.0.0.1", "1"), List.of("MIGRATE", "127.0.0.1", "1", "{q}:freeze", "0", "1000"),
                List.of("DEBUG", "SLEEP", "0"), List.of("MODULE", "LIST"), List.of("SHUTDOWN", "NOSAVE"),
                List.of("HELLO", "3"), List.of("HELLO", "2", "AUTH", "default", ""), List.of("HELLO", "3", "AUTH", "quorum", "quorum"),
                List.of("AUTH", ""), List.of("AUTH", "default", ""), List.of("AUTH", "default", "nopass"), List.of("AUTH", "quorum", ""),
                List.of("AUTH", "quorum", "password"), List.of("AUTH", "quorum", portFileText()));
        try (RespClient attacker = RespClient.connect(port)) {
            for (List<String> command : attacks) {
                assertThat(attacker.call(command.toArray(String[]::new))).as(String.join(" ", command)).matches(REFUSED);
            }
            assertThat(attacker.raw("SET q:inline 1\r\nGET q:freeze\r\n")).as("inline commands")
                    .contains("-NOAUTH").doesNotContain("+OK").doesNotContain("before the attack");
        }
        try (RespClient browser = RespClient.connect(port)) {
            // a web page's cross-protocol POST to the Redis port, commands in its body
            String answer = browser.raw("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: text/plain\r\n\r\n"
                    + "SET q:from-the-web 1\r\nCONFIG SET dir /tmp\r\n");
            assertThat(answer).doesNotContain("+OK");
        }

        assertThat(quorum.exists("{q}:planted", "{q}:inline", "{q}:from-the-web")).isZero();
        assertThat(quorum.xlen("{q}:audit")).isEqualTo(auditBefore);
        assertThat(quorum.dbsize()).isPositive();
        try (SseClient room = q.events("bob")) {
            q.say("bob", "status");
            assertThat(room.awaitReply("FROZEN").text()).contains("before the attack");
        }
        assertThat(q.get("/api/audit/verify").json().get("ok").asBoolean()).isTrue();
    }

    @Test
    void thePasswordIsOnNoProcesssCommandLineOrEnvironmentAndItsFileIsOwnerOnly() throws Exception {
        String password = password();
        List<Path> leaks = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                for (String file : List.of("cmdline", "environ")) {
                    try {
                        if (new String(Files.readAllBytes(proc.resolve(file)), StandardCharsets.ISO_8859_1).contains(password)) {
                            leaks.add(proc.resolve(file));
                        }
                    } catch (IOException gone) {
                        // the process ended, or is not ours to read: neither is a leak
                    }
                }
            }
        }
        assertThat(leaks).as("processes whose command line or environment holds the Redis password").isEmpty();
        Process ps = new ProcessBuilder("ps", "-eo", "args").redirectErrorStream(true).start();
        assertThat(new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("redis-server").doesNotContain(password);

        Path credentials = data.resolve("redis/quorum-redis.credentials");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("redis")))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.walk(data.resolve("redis"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.equals(credentials)).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(password);
            }
        }
    }

    @Test
    void anotherLocalUserCannotReadTheCredentials() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as another user (nobody)");
        Process cat = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "cat", data.resolve("redis/quorum-redis.credentials").toString()).redirectErrorStream(true).start();
        String out = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cat.waitFor()).isNotZero();
        assertThat(out).contains("Permission denied").doesNotContain(password());
    }

    private String password() throws IOException {
        return Files.readAllLines(data.resolve("redis/quorum-redis.credentials")).stream()
                .filter(l -> l.startsWith("password=")).findFirst().orElseThrow().substring("password=".length());
    }

    /** An attacker's guess from what it can see: the port file's content. */
    private String portFileText() throws IOException {
        return Files.readString(data.resolve("redis/quorum-redis.port")).strip();
    }
}
