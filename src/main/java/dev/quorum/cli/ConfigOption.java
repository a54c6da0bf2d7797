package dev.quorum.cli;

import dev.quorum.config.ConfigException;
import dev.quorum.config.ConfigLoader;
import dev.quorum.config.QuorumConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --config} option every subcommand shares. */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "PATH",
            description = "the configuration file (default: $QUORUM_CONFIG, else config/quorum.yaml, else the bundled demo config)")
    Path path;

    /** Loads the config or prints the one-line problem and exits with code 2. */
    QuorumConfig loadOrExit() {
        try {
            return ConfigLoader.fromSystem().load(path);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(QuorumCli.CONFIG_ERROR);
            throw e;
        }
    }
}
