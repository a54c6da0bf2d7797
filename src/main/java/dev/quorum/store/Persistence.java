package dev.quorum.store;

import dev.quorum.config.RedisConfig;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * At start, whether an external Redis keeps Quorum's data on disk. Only {@code CONFIG GET} says so
 * ({@code INFO persistence} tells whether the AOF is on, not whether anything saves RDB snapshots),
 * and both are {@code @dangerous}: the README's ACL user may not send them. Sending them anyway
 * would put a refusal in the operator's {@code ACL LOG} at every start, so Quorum asks only as the
 * {@code default} user (a URL without a user name), which usually may; otherwise it says once that
 * it cannot check.
 */
final class Persistence {
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);

    private Persistence() {
    }

    private static String username(RedisURI uri) {
        RedisCredentials credentials = uri.getCredentialsProvider().resolveCredentials().block();
        return credentials == null ? null : credentials.getUsername();
    }

    static void check(Redis redis, RedisConfig config) {
        String user = config.isCluster() ? config.clusterUser() : username(RedisURI.create(config.url()));
        if (user != null && !user.equals("default")) {
            LOG.info("Quorum cannot check that Redis keeps its data on disk: its ACL user {} may not run CONFIG (@dangerous). "
                    + "Make sure the server runs with appendonly yes (README, \"Redis Sentinel and Cluster\")", user);
            return;
        }
        Map<String, String> settings;
        try {
            settings = redis.home().configGet("appendonly", "save");
        } catch (RedisException e) { // NOPERM, CONFIG renamed away on a managed Redis, or a node out of reach: a warning is not worth a failed start
            String why = String.valueOf(e.getMessage()).split(" ", 2)[0]; // NOPERM, ERR...: the rest may repeat an address
            LOG.info("Quorum cannot check that Redis keeps its data on disk (CONFIG GET: {}). "
                    + "Make sure the server runs with appendonly yes (README, \"Redis Sentinel and Cluster\")", why);
            return;
        }
        boolean aof = "yes".equals(settings.get("appendonly"));
        String save = settings.getOrDefault("save", "").strip();
        if (!aof && save.isEmpty()) {
            LOG.warn("!!! Redis at {} keeps Quorum's data in memory only (appendonly no, no save points): a restart of that server "
                    + "loses every request, vote, lock and audit entry. Set appendonly yes (README, \"Redis Sentinel and Cluster\") !!!",
                    config.displayUrl());
        } else if (!aof) {
            LOG.warn("Redis at {} saves only RDB snapshots (save {}, appendonly no): a crash loses what was written since the last one, "
                    + "acknowledged votes included. Set appendonly yes (README, \"Redis Sentinel and Cluster\")", config.displayUrl(), save);
        }
    }
}
