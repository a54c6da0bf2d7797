package dev.quorum.store;

import dev.quorum.Ports;
import dev.quorum.testing.RespClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of three masters on loopback, from Debian's redis-server, made as an operator
 * makes one: {@code redis-cli --cluster create … --cluster-yes}, then waited for until every node
 * says {@code cluster_state:ok}.
 */
final class RedisClusterProcesses implements AutoCloseable {
    private static final Path REDIS = Path.of("/usr/bin/redis-server");
    private static final Duration READY = Duration.ofSeconds(30);
    private final List<RedisServerProcess> nodes = new ArrayList<>();

    private RedisClusterProcesses() {
    }

    static RedisClusterProcesses start(Path dir, int masters) throws Exception {
        RedisClusterProcesses c = new RedisClusterProcesses();
        try {
            for (int i = 0; i < masters; i++) {
                // The bus port is given: the default (port + 10000) may be past 65535 for a free port.
                c.nodes.add(RedisServerProcess.plain(REDIS, "--cluster-enabled", "yes", "--cluster-port", String.valueOf(Ports.free()),
                        "--cluster-config-file", dir.resolve("nodes-" + i + ".conf").toString(), "--cluster-node-timeout", "2000"));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            create.addAll(c.seeds());
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process cli = new ProcessBuilder(create).redirectErrorStream(true).start();
            if (!cli.waitFor(READY.toSeconds(), TimeUnit.SECONDS) || cli.exitValue() != 0) {
                cli.destroyForcibly();
                throw new IOException("redis-cli --cluster create failed: " + new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            c.awaitOk();
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    private void awaitOk() throws Exception {
        Instant deadline = Instant.now().plus(READY);
        for (RedisServerProcess node : nodes) {
            try (RespClient r = RespClient.connect(node.port())) {
                while (true) {
                    String info = r.call("CLUSTER", "INFO");
                    if (info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + nodes.size())) break;
                    if (Instant.now().isAfter(deadline)) throw new IOException("the cluster did not settle: " + info);
                    Thread.sleep(50);
                }
            }
        }
    }

    /** {@code 127.0.0.1:port} of every node, as {@code redis.cluster} lists them. */
    List<String> seeds() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).toList();
    }

    List<Integer> ports() {
        return nodes.stream().map(RedisServerProcess::port).toList();
    }

    /** Runs one command as the {@code default} user on every node (ACL lines, say). */
    void onEveryNode(String... command) throws IOException {
        for (RedisServerProcess node : nodes) {
            try (RespClient r = RespClient.connect(node.port())) {
                String reply = r.call(command);
                if (reply.startsWith("-")) throw new IOException(String.join(" ", command) + " on " + node.port() + ": " + reply);
            }
        }
    }

    /** The port of the master that holds {@code key}'s slot. */
    int ownerOf(String key) throws IOException {
        try (RespClient r = RespClient.connect(nodes.getFirst().port())) {
            String slot = r.call("CLUSTER", "KEYSLOT", key).substring(1);
            for (RedisServerProcess node : nodes) {
                try (RespClient n = RespClient.connect(node.port())) {
                    if (n.call("CLUSTER", "NODES").lines().anyMatch(l -> l.contains("myself") && owns(l, Integer.parseInt(slot)))) {
                        return node.port();
                    }
                }
            }
        }
        throw new IOException("no node holds " + key);
    }

    private static boolean owns(String nodesLine, int slot) {
        String[] f = nodesLine.split(" ");
        for (int i = 8; i < f.length; i++) {
            String[] range = f[i].split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            if (slot >= from && slot <= to) return true;
        }
        return false;
    }

    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
    }
}
