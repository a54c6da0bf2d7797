package dev.quorum.store;

import dev.quorum.testing.RespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded redis-server as Quorum starts it, on both binaries it may run (Debian's 7.0 on
 * PATH, the 6.2 shipped in the embedded-redis jar) and in both ways of authentication.
 */
class EmbeddedRedisTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> servers() throws IOException {
        Path onPath = Path.of("/usr/bin/redis-server");
        Path bundled = EmbeddedRedis.extractBundled();
        return Stream.of(
                Arguments.of("redis-server on PATH, ACL user", onPath, EmbeddedRedis.Auth.ACL_USER),
                Arguments.of("bundled 6.2, ACL user", bundled, EmbeddedRedis.Auth.ACL_USER),
                Arguments.of("redis-server on PATH, requirepass", onPath, EmbeddedRedis.Auth.REQUIREPASS),
                Arguments.of("bundled 6.2, requirepass", bundled, EmbeddedRedis.Auth.REQUIREPASS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void strangersAndWrongPasswordsAreRefusedAndQuorumGetsIn(String name, Path binary, EmbeddedRedis.Auth auth) throws Exception {
        try (EmbeddedRedis server = new EmbeddedRedis(tmp.resolve("redis"), 0, binary, auth)) {
            String uri = server.start();
            try (RespClient stranger = RespClient.connect(server.port())) {
                assertThat(stranger.call("SET", "{q}:planted", "1")).startsWith("-NOAUTH");
                assertThat(stranger.call("GET", "{q}:planted")).startsWith("-NOAUTH");
                assertThat(stranger.call("AUTH", "wrong-password")).startsWith("-WRONGPASS");
                assertThat(stranger.call("AUTH", EmbeddedRedis.USER, "wrong-password")).startsWith("-WRONGPASS");
                assertThat(stranger.call("AUTH", "default", "")).startsWith("-WRONGPASS");
                assertThat(stranger.call("SET", "{q}:planted", "1")).startsWith("-NOAUTH");
            }
            try (Redis quorum = Redis.connect(uri)) {
                assertThat(quorum.sync().get("{q}:planted")).isNull();
                quorum.sync().set("{q}:mine", "ok");
                assertThat(quorum.sync().get("{q}:mine")).isEqualTo("ok");
                assertThat(uri).startsWith(auth == EmbeddedRedis.Auth.ACL_USER ? "redis://quorum:" : "redis://:");
            }
        }
    }

    @Test
    void theAofIsFsyncedAsConfiguredAlwaysByDefault() {
        assertThat(EmbeddedRedis.persistence(dev.quorum.config.RedisConfig.Fsync.ALWAYS)).isEqualTo("appendonly yes\nappendfsync always\n");
        assertThat(EmbeddedRedis.persistence(dev.quorum.config.RedisConfig.Fsync.EVERYSEC)).isEqualTo("appendonly yes\nappendfsync everysec\n");
    }

    @Test
    void theVersionDecidesBetweenAnAclUserAndRequirepass() throws IOException {
        assertThat(EmbeddedRedis.version(Path.of("/usr/bin/redis-server")).map(v -> v[0])).contains(7);
        assertThat(EmbeddedRedis.version(EmbeddedRedis.extractBundled()).map(v -> v[0] + "." + v[1])).contains("6.2");
        assertThat(EmbeddedRedis.authFor(EmbeddedRedis.parseVersion("Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0")))
                .isEqualTo(EmbeddedRedis.Auth.ACL_USER);
        assertThat(EmbeddedRedis.authFor(EmbeddedRedis.parseVersion("Redis server v=6.2.11 sha=00000000:0"))).isEqualTo(EmbeddedRedis.Auth.ACL_USER);
        assertThat(EmbeddedRedis.authFor(EmbeddedRedis.parseVersion("Redis server v=6.0.16 sha=00000000:0"))).isEqualTo(EmbeddedRedis.Auth.REQUIREPASS);
        assertThat(EmbeddedRedis.authFor(EmbeddedRedis.parseVersion("Redis server v=5.0.14 sha=00000000:0"))).isEqualTo(EmbeddedRedis.Auth.REQUIREPASS);
        assertThat(EmbeddedRedis.authFor(EmbeddedRedis.parseVersion("KeyDB v=?"))).isEqualTo(EmbeddedRedis.Auth.REQUIREPASS);
        assertThat(EmbeddedRedis.authFor(Optional.empty())).isEqualTo(EmbeddedRedis.Auth.REQUIREPASS);
    }

    @Test
    void thePasswordIsInNoCommandLineNoDataFileAndOnlyInTheOwnerOnlyCredentialsFile() throws Exception {
        Path dir = tmp.resolve("data/redis");
        Set<Long> before = children();
        try (EmbeddedRedis server = new EmbeddedRedis(dir, 0)) {
            String uri = server.start();
            String password = password(uri);
            assertThat(password).hasSize(43).matches("[A-Za-z0-9_-]+"); // 32 random bytes, base64url
            try (Redis quorum = Redis.connect(uri)) {
                for (int i = 0; i < 50; i++) quorum.sync().set("{q}:k" + i, "v" + i);
            }

            Set<Long> started = children();
            started.removeAll(before);
            assertThat(started).hasSize(1);
            long pid = started.iterator().next();
            String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            assertThat(cmdline).contains("redis-server").doesNotContain(password);
            Process ps = new ProcessBuilder("ps", "-eo", "pid,args").redirectErrorStream(true).start();
            String table = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(table).contains(String.valueOf(pid)).doesNotContain(password);

            Path credentials = dir.resolve("quorum-redis.credentials");
            assertThat(Files.readString(credentials)).contains("user=quorum\n", "password=" + password + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
            assertThat(Files.readString(dir.resolve("quorum-redis.port")).strip()).isEqualTo(String.valueOf(server.port()));

            List<Path> dataFiles;
            try (Stream<Path> walk = Files.walk(dir)) {
                dataFiles = walk.filter(Files::isRegularFile).filter(p -> !p.equals(credentials)).toList();
            }
            assertThat(dataFiles).extracting(p -> p.getFileName().toString()).anyMatch(n -> n.contains("aof"));
            for (Path f : dataFiles) assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(password);
        }
        assertThat(dir.resolve("quorum-redis.credentials")).doesNotExist();
        assertThat(dir.resolve("quorum-redis.port")).doesNotExist();
    }

    @Test
    void theCliFindsTheRunningServerWithItsCredentialsAndAStoppedOneNoMore() throws Exception {
        Path dir = tmp.resolve("redis");
        try (EmbeddedRedis server = new EmbeddedRedis(dir, 0)) {
            server.start();
            String found = EmbeddedRedis.running(dir).orElseThrow();
            assertThat(found).isEqualTo(server.uri());
            try (Redis cli = Redis.connect(found)) {
                assertThat(cli.ping()).isTrue();
            }
        }
        assertThat(EmbeddedRedis.running(dir)).isEmpty();
    }

    @Test
    void aRunningServerWhoseCredentialsCannotBeReadIsNotStartedTwice() throws Exception {
        Path dir = tmp.resolve("redis");
        try (EmbeddedRedis server = new EmbeddedRedis(dir, 0)) {
            server.start();
            Files.delete(dir.resolve("quorum-redis.credentials"));
            assertThatThrownBy(() -> EmbeddedRedis.running(dir)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("an embedded Redis runs on port " + server.port() + " for " + dir.toAbsolutePath()
                            + ", but its credentials (" + dir.toAbsolutePath().resolve("quorum-redis.credentials") + ") cannot be read");
        }
    }

    @Test
    void eachStartHasANewPasswordAndTheOldOneNoLongerOpensIt() throws Exception {
        Path dir = tmp.resolve("redis");
        String first;
        try (EmbeddedRedis server = new EmbeddedRedis(dir, 0)) {
            first = server.start();
            try (Redis r = Redis.connect(first)) {
                r.sync().set("{q}:kept", "across restarts");
            }
        }
        try (EmbeddedRedis server = new EmbeddedRedis(dir, 0)) {
            String second = server.start();
            assertThat(second).isNotEqualTo(first);
            try (Redis r = Redis.connect(second)) {
                assertThat(r.sync().get("{q}:kept")).isEqualTo("across restarts");
            }
            try (RespClient old = RespClient.connect(server.port())) {
                assertThat(old.call("AUTH", "quorum", password(first))).startsWith("-WRONGPASS");
            }
        }
    }

    static Stream<Path> binaries() throws IOException {
        return Stream.of(Path.of("/usr/bin/redis-server"), EmbeddedRedis.extractBundled());
    }

    @ParameterizedTest
    @MethodSource("binaries")
    void evenQuorumsOwnUserCannotReachPastTheData(Path binary) throws Exception {
        try (EmbeddedRedis server = new EmbeddedRedis(tmp.resolve("redis"), 0, binary, null)) {
            String uri = server.start();
            try (RespClient quorum = RespClient.connect(server.port())) {
                assertThat(quorum.call("AUTH", "quorum", password(uri))).isEqualTo("+OK");
                for (List<String> command : List.of(List.of("CONFIG", "SET", "dir", tmp.toString()), List.of("CONFIG", "GET", "*"),
                        List.of("ACL", "LIST"), List.of("ACL", "SETUSER", "default", "on", "nopass"), List.of("MODULE", "LIST"),
                        List.of("DEBUG", "SLEEP", "0"), List.of("REPLICAOF", "127.0.0.1", "1"), List.of("SLAVEOF", "127.0.0.1", "1"),
                        List.of("SHUTDOWN", "NOSAVE"))) {
                    // Redis 7 refuses DEBUG to everyone before it looks at the user
                    assertThat(quorum.call(command.toArray(String[]::new))).as(String.join(" ", command))
                            .matches("-NOPERM .*|-ERR DEBUG command not allowed.*");
                }
                assertThat(quorum.call("SET", "{q}:x", "1")).isEqualTo("+OK"); // and it still serves Quorum
            }
        }
    }

    @ParameterizedTest
    @MethodSource("binaries")
    void whatScriptsAndTransactionsWroteSurvivesARestart(Path binary) throws Exception {
        Path dir = tmp.resolve("redis");
        try (EmbeddedRedis server = new EmbeddedRedis(dir, 0, binary, null)) {
            // A plain Lettuce client: Quorum's own API has no MULTI (a Cluster connection has none), yet the AOF must replay one
            io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(server.start());
            try (var c = client.connect()) {
                c.sync().eval("redis.call('XADD', KEYS[1], '*', 'n', '1'); return redis.call('SET', KEYS[2], 'by script')",
                        io.lettuce.core.ScriptOutputType.STATUS, "{q}:stream", "{q}:scripted");
                c.sync().multi();
                c.sync().set("{q}:transacted", "in MULTI");
                c.sync().exec();
            } finally {
                client.shutdown();
            }
        }
        try (EmbeddedRedis server = new EmbeddedRedis(dir, 0, binary, null); Redis r = Redis.connect(server.start())) {
            assertThat(r.sync().get("{q}:scripted")).isEqualTo("by script");
            assertThat(r.sync().get("{q}:transacted")).isEqualTo("in MULTI");
            assertThat(r.sync().xlen("{q}:stream")).isEqualTo(1);
        }
    }

    @Test
    void aDataFolderWithQuotesAndSpacesWorksAndOneWithALineBreakIsRefused() throws Exception {
        Path odd = tmp.resolve("my \"data\" dir\\x");
        try (EmbeddedRedis server = new EmbeddedRedis(odd, 0); Redis r = Redis.connect(server.start())) {
            r.sync().set("{q}:odd", "1");
        }
        try (Stream<Path> files = Files.walk(odd)) {
            assertThat(files.map(Path::toString)).anyMatch(p -> p.contains("aof"));
        }
        EmbeddedRedis injected = new EmbeddedRedis(tmp.resolve("x\nuser default on nopass ~* +@all"), 0);
        assertThatThrownBy(injected::start).isInstanceOf(IOException.class)
                .hasMessageStartingWith("the Redis data folder's path contains a control character");
        injected.close();
    }

    /** The password in a {@code redis://user:password@host:port} URI. */
    static String password(String uri) {
        return uri.substring(uri.indexOf(':', "redis://".length()) + 1, uri.lastIndexOf('@'));
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
