package dev.quorum.cli;

import dev.quorum.Quorum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code quorum [serve] | audit verify | evidence verify <id>}: the runnable jar's entry point.
 * Exit codes: 0 fine, 1 a check failed, 2 bad configuration or usage.
 */
@Command(name = "quorum", mixinStandardHelpOptions = true, versionProvider = QuorumCli.Version.class,
        description = "Chat-ops for teams whose AI agents write code: evidence from Quorum, decisions from people.",
        subcommands = {ServeCommand.class, AuditCommand.class, EvidenceCommand.class})
public final class QuorumCli implements Runnable {
    public static final int CONFIG_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a subcommand, serve (SPEC §1: {@code java -jar quorum.jar} is {@code serve}). */
    @Override
    public void run() {
        throw new IllegalStateException("unreachable: main() routes an empty command line to serve");
    }

    public static void main(String[] args) {
        String[] effective = args.length == 0 || args[0].startsWith("--config") ? prepend("serve", args) : args;
        if (!isServe(effective) && System.getenv("QUORUM_LOG_LEVEL") == null) quietLog();
        CommandLine cli = new CommandLine(new QuorumCli()); // picocli answers usage errors with exit code 2
        int code = cli.execute(effective);
        if (code != 0 || !isServe(effective)) System.exit(code);
    }

    /** A one-off command prints its result, not Quorum's INFO log (warnings still show). */
    private static void quietLog() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static boolean isServe(String[] args) {
        return args.length > 0 && args[0].equals("serve");
    }

    private static String[] prepend(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"quorum " + Quorum.version(), "Java " + Runtime.version()};
        }
    }
}
