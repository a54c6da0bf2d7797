package dev.quorum.store;

import dev.quorum.Ports;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.RedisConfig;
import dev.quorum.testing.RespClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of three masters on loopback, from Debian's redis-server, made as an operator
 * makes one: {@code redis-cli --cluster create … --cluster-replicas n --cluster-yes}, then waited for
 * until every node says {@code cluster_state:ok} and every master counts its replicas. With
 * {@code cluster-node-timeout 2000} a master SIGKILLed is replaced by its replica within a few seconds.
 */
final class RedisClusterProcesses implements AutoCloseable {
    private static final Path REDIS = Path.of("/usr/bin/redis-server");
    private static final Duration READY = Duration.ofSeconds(30);
    private final List<RedisServerProcess> nodes = new ArrayList<>();

    private RedisClusterProcesses() {
    }

    static RedisClusterProcesses start(Path dir, int masters) throws Exception {
        return start(dir, masters, 0);
    }

    /** {@code masters} masters with {@code replicasEach} replicas each; redis-cli picks which replica follows which master. */
    static RedisClusterProcesses start(Path dir, int masters, int replicasEach) throws Exception {
        RedisClusterProcesses c = new RedisClusterProcesses();
        try {
            for (int i = 0; i < masters * (1 + replicasEach); i++) {
                // The bus port is given: the default (port + 10000) may be past 65535 for a free port.
                c.nodes.add(RedisServerProcess.plain(REDIS, "--cluster-enabled", "yes", "--cluster-port", String.valueOf(Ports.free()),
                        "--cluster-config-file", dir.resolve("nodes-" + i + ".conf").toString(), "--cluster-node-timeout", "2000"));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            create.addAll(c.seeds());
            create.addAll(List.of("--cluster-replicas", String.valueOf(replicasEach), "--cluster-yes"));
            Process cli = new ProcessBuilder(create).redirectErrorStream(true).start();
            if (!cli.waitFor(READY.toSeconds(), TimeUnit.SECONDS) || cli.exitValue() != 0) {
                cli.destroyForcibly();
                throw new IOException("redis-cli --cluster create failed: " + new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            c.awaitOk();
            if (replicasEach > 0) c.awaitReplicas(replicasEach);
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

    /**
     * Until each master counts its replicas for {@code WAIT} (from their first acknowledgement, a
     * second or so after the link is up): a vote then waits for one, as in production.
     */
    private void awaitReplicas(int each) throws Exception {
        Instant deadline = Instant.now().plus(READY);
        for (RedisServerProcess node : nodes) {
            try (RespClient r = RespClient.connect(node.port())) {
                if (!r.call("ROLE").startsWith("master")) continue;
                while (!r.call("WAIT", "0", "0").equals(":" + each)) {
                    if (Instant.now().isAfter(deadline)) throw new IOException("the replicas of " + node.port() + " did not attach");
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

    /**
     * On every node: the user {@code admin} (password {@code admin-0123456789}, every right) for the
     * test's own looks, and the README's ACL user {@code quorum} with {@code password} and the
     * {@code +info} the README asks for on a Cluster (Lettuce reads the nodes' INFO).
     */
    void addUsers(String password) throws IOException {
        onEveryNode("ACL", "SETUSER", "admin", "on", ">admin-0123456789", "~*", "&*", "+@all");
        for (String line : Files.readAllLines(Path.of("README.md")).stream().filter(l -> l.startsWith("ACL SETUSER quorum ")).toList()) {
            onEveryNode(line.replace(">a-long-random-password", ">" + password).split(" "));
        }
        onEveryNode("ACL", "SETUSER", "quorum", "+info");
    }

    /** The {@code redis:} lines that point Quorum at these nodes, as {@code quorum} with the password in {@code passwordFile}, or as {@code default}. */
    String yaml(Path passwordFile) {
        String nodes = String.join(", ", seeds());
        return passwordFile != null
                ? "  cluster: [%s]\n  cluster_user: quorum\n  cluster_password: file:%s\n".formatted(nodes, passwordFile)
                : "  cluster: [%s]\n".formatted(nodes);
    }

    /** {@link #yaml} as Quorum reads it. */
    RedisConfig config(Path passwordFile) {
        return new ConfigLoader(Map.<String, String>of()::get)
                .parse(new ByteArrayInputStream(("redis:\n" + yaml(passwordFile)).getBytes(StandardCharsets.UTF_8)), "test").redis();
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
        return holder(key).orElseThrow(() -> new IOException("no node holds " + key));
    }

    /** The live node that says it holds {@code key}'s slot, if any (none while a dead master's replica is not yet promoted). */
    private OptionalInt holder(String key) throws IOException {
        try (RespClient r = RespClient.connect(nodes.getFirst().port())) {
            String slot = r.call("CLUSTER", "KEYSLOT", key).substring(1);
            for (RedisServerProcess node : nodes) {
                try (RespClient n = RespClient.connect(node.port())) {
                    if (n.call("CLUSTER", "NODES").lines().anyMatch(l -> l.contains("myself") && owns(l, Integer.parseInt(slot)))) {
                        return OptionalInt.of(node.port());
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    /** SIGKILL of the node on {@code port}, as a crashed host: it says nothing to the others. Later calls leave it out. */
    void kill(int port) throws InterruptedException {
        RedisServerProcess node = nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
        node.kill();
        nodes.remove(node);
    }

    /**
     * The port of the node other than {@code former} that holds {@code key}'s slot, once every live
     * node says {@code cluster_state:ok}; empty before.
     */
    OptionalInt newOwner(String key, int former) throws IOException {
        OptionalInt owner = holder(key);
        return owner.isPresent() && owner.getAsInt() != former && everyNodeOk() ? owner : OptionalInt.empty();
    }

    private boolean everyNodeOk() throws IOException {
        for (RedisServerProcess node : nodes) {
            try (RespClient r = RespClient.connect(node.port())) {
                if (!r.call("CLUSTER", "INFO").contains("cluster_state:ok")) return false;
            }
        }
        return true;
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
