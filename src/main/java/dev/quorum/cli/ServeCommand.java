package dev.quorum.cli;

import dev.quorum.Quorum;
import dev.quorum.config.ConfigException;
import dev.quorum.config.QuorumConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code quorum serve}: runs Quorum until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start Quorum (the default).")
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        QuorumConfig cfg = config.loadOrExit();
        Quorum quorum;
        try {
            quorum = Quorum.start(cfg, Clock.systemUTC());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return QuorumCli.CONFIG_ERROR;
        } catch (Exception e) {
            LOG.error("Quorum could not start: {}", e.getMessage(), e);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(quorum::close, "quorum-shutdown"));
        return 0;
    }
}
