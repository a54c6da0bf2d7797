package dev.quorum.cli;

import dev.quorum.audit.AuditLog;
import dev.quorum.audit.AuditVerification;
import dev.quorum.config.ConfigException;
import dev.quorum.config.QuorumConfig;
import dev.quorum.store.EmbeddedRedis;
import dev.quorum.store.Redis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code quorum audit verify}: walks the sealed hash chain and reports the first changed, forged or missing entry. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Audit log tools.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the audit log's hash chain, its seals and this data folder's anchor file; exit 0 when intact, 1 when not.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() throws Exception {
            QuorumConfig cfg = config.loadOrExit();
            try (RedisAccess access = RedisAccess.open(cfg)) {
                AuditVerification v = AuditLog.verify(access.redis(), cfg.dataDir());
                if (v.ok()) {
                    System.out.println("audit log intact: " + v.entries() + " entries");
                } else {
                    boolean anEntry = !v.firstBad().startsWith("(");
                    System.out.println("audit log BROKEN" + (anEntry ? " at entry " + v.firstBad() : "") + ": " + v.problem());
                }
                v.notes().forEach(note -> System.out.println("note: " + note));
                return v.ok() ? 0 : 1;
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return QuorumCli.CONFIG_ERROR;
            }
        }
    }

    /**
     * Redis for a one-off command: the configured URL, the running Quorum's embedded server (its
     * port and password from the owner-only files under {@code data/redis}), or a short-lived one.
     * A server that refuses the configured credentials or certificate ends the command like a
     * config error: one line, exit code 2.
     */
    record RedisAccess(Redis redis, EmbeddedRedis owned) implements AutoCloseable {
        static RedisAccess open(QuorumConfig cfg) throws Exception {
            if (!cfg.redis().embedded()) {
                try {
                    return new RedisAccess(Redis.connect(cfg.redis()), null);
                } catch (ConfigException e) {
                    System.err.println(e.getMessage());
                    System.exit(QuorumCli.CONFIG_ERROR);
                    throw e;
                }
            }
            var dir = cfg.dataDir().resolve("redis");
            Optional<String> running = EmbeddedRedis.running(dir);
            if (running.isPresent()) return new RedisAccess(Redis.connect(running.get()), null);
            EmbeddedRedis embedded = new EmbeddedRedis(dir, 0);
            return new RedisAccess(Redis.connect(embedded.start()), embedded);
        }

        @Override
        public void close() {
            redis.close();
            if (owned != null) owned.close();
        }
    }
}
