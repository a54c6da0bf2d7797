package dev.quorum.store;

import dev.quorum.Ports;
import dev.quorum.testing.RespClient;
import dev.quorum.testing.TestCertificates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One master, one replica and three sentinels on loopback, from Debian's redis-server and
 * redis-sentinel, with a password on the data nodes. The sentinels call a master down after one
 * second of silence, so a SIGKILLed master is replaced within a few seconds. With certificates,
 * all five speak only TLS, to Quorum and to each other ({@code tls-replication}).
 */
final class RedisSentinelProcesses implements AutoCloseable {
    static final String MASTER_NAME = "quorum-master";
    private static final Path REDIS = Path.of("/usr/bin/redis-server");
    private static final Duration READY = Duration.ofSeconds(30);
    private final String password;
    /** With TLS: the certificate every node presents (for 127.0.0.1, the address the sentinels announce) and its CA. */
    private final Optional<TestCertificates> tls;
    private RedisServerProcess master;
    private RedisServerProcess replica;
    private final List<Process> sentinels = new ArrayList<>();
    private final List<Integer> sentinelPorts = new ArrayList<>();

    private RedisSentinelProcesses(String password, Optional<TestCertificates> tls) {
        this.password = password;
        this.tls = tls;
    }

    static RedisSentinelProcesses start(Path dir, String password) throws Exception {
        return start(dir, password, Optional.empty());
    }

    /** All of them TLS only, with {@code certs}. */
    static RedisSentinelProcesses startTls(Path dir, String password, TestCertificates certs) throws Exception {
        return start(dir, password, Optional.of(certs));
    }

    private static RedisSentinelProcesses start(Path dir, String password, Optional<TestCertificates> tls) throws Exception {
        Files.createDirectories(dir);
        RedisSentinelProcesses s = new RedisSentinelProcesses(password, tls);
        try {
            // With an AOF, as Quorum expects of its Redis (and warns about otherwise).
            Files.createDirectories(dir.resolve("master"));
            Files.createDirectories(dir.resolve("replica"));
            s.master = s.server("--requirepass", password, "--masterauth", password,
                    "--appendonly", "yes", "--dir", dir.resolve("master").toString());
            s.replica = s.server("--requirepass", password, "--masterauth", password,
                    "--appendonly", "yes", "--dir", dir.resolve("replica").toString(), "--replicaof", "127.0.0.1", String.valueOf(s.master.port()));
            // The master counts a replica for WAIT from its first acknowledgement, a second or so after the link is up.
            s.await(s.master.port(), "WAIT", "0", "0", ":1");
            for (int i = 0; i < 3; i++) s.startSentinel(dir, i);
            for (int port : s.sentinelPorts) {
                // Each must know the replica (to promote it) and the two other sentinels (to vote a failover).
                s.await(port, "SENTINEL", "REPLICAS", MASTER_NAME, "127.0.0.1");
                s.awaitCount(port, "SENTINEL", "SENTINELS", MASTER_NAME);
            }
            return s;
        } catch (Exception e) {
            s.close();
            throw e;
        }
    }

    private RedisServerProcess server(String... args) throws IOException {
        if (tls.isEmpty()) return RedisServerProcess.plain(REDIS, args);
        List<String> all = new ArrayList<>(List.of("--tls-replication", "yes"));
        all.addAll(List.of(args));
        return RedisServerProcess.tls(tls.get(), all.toArray(String[]::new));
    }

    private void startSentinel(Path dir, int i) throws Exception {
        int port = Ports.free();
        Path conf = dir.resolve("sentinel-" + i + ".conf");
        // TLS only: to Quorum (tls-port), and to the data nodes and the other sentinels (tls-replication).
        String listen = tls.map(c -> """
                port 0
                tls-port %d
                tls-cert-file %s
                tls-key-file %s
                tls-ca-cert-file %s
                tls-auth-clients no
                tls-replication yes
                """.formatted(port, c.serverCert(), c.serverKey(), c.ca())).orElse("port " + port + "\n");
        Files.writeString(conf, listen + """
                bind 127.0.0.1
                daemonize no
                dir %s
                sentinel monitor %s 127.0.0.1 %d 2
                sentinel auth-pass %s %s
                sentinel down-after-milliseconds %s 1000
                sentinel failover-timeout %s 5000
                sentinel parallel-syncs %s 1
                """.formatted(dir, MASTER_NAME, master.port(), MASTER_NAME, password, MASTER_NAME, MASTER_NAME, MASTER_NAME));
        sentinels.add(new ProcessBuilder("redis-sentinel", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sentinel-" + i + ".log").toFile()).start());
        sentinelPorts.add(port);
    }

    /** Waits until {@code command} on {@code port} answers with text containing {@code expected}. */
    private void await(int port, String... commandAndExpected) throws Exception {
        String expected = commandAndExpected[commandAndExpected.length - 1];
        String[] command = java.util.Arrays.copyOf(commandAndExpected, commandAndExpected.length - 1);
        Instant deadline = Instant.now().plus(READY);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try (RespClient r = connect(port)) {
                if (port == master.port() || port == replica.port()) r.call("AUTH", password);
                last = r.call(command);
                if (last.contains(expected)) return;
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(100);
        }
        throw new IOException(String.join(" ", command) + " on " + port + " never said " + expected + ": " + last);
    }

    /** Waits until a sentinel knows both others. */
    private void awaitCount(int port, String... command) throws Exception {
        Instant deadline = Instant.now().plus(READY);
        while (Instant.now().isBefore(deadline)) {
            try (RespClient r = connect(port)) {
                long known = r.call(command).lines().filter(l -> l.equals("runid")).count();
                if (known >= 2) return;
            }
            Thread.sleep(100);
        }
        throw new IOException("sentinel " + port + " did not find the other two");
    }

    private RespClient connect(int port) throws IOException {
        if (tls.isEmpty()) return RespClient.connect(port);
        try {
            return RespClient.connect(port, tls.get().clientContext());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** {@code redis[s]-sentinel://:password@127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3?sentinelMasterId=quorum-master}. */
    String url() {
        return (tls.isPresent() ? "rediss-sentinel://:" : "redis-sentinel://:") + password + "@" + sentinelPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","))
                + "?sentinelMasterId=" + MASTER_NAME;
    }

    List<Integer> sentinelPorts() {
        return List.copyOf(sentinelPorts);
    }

    int masterPort() {
        return master.port();
    }

    int replicaPort() {
        return replica.port();
    }

    /** SIGKILL of the master. */
    void killMaster() throws InterruptedException {
        master.kill();
    }

    /** SIGSTOP and SIGCONT of the replica: it stops acknowledging replication, as a stalled host would. */
    void pauseReplica(boolean paused) throws Exception {
        replica.pause(paused);
    }

    /** Waits until every sentinel names the former replica as the master. */
    void awaitFailover() throws Exception {
        for (int port : sentinelPorts) await(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME, String.valueOf(replica.port()));
    }

    @Override
    public void close() {
        for (Process p : sentinels) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        if (replica != null) {
            try {
                pauseReplica(false);
            } catch (Exception ignored) {
                // not paused
            }
            replica.close();
        }
        if (master != null) master.close();
    }
}
