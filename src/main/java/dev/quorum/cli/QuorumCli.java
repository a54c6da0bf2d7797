package dev.quorum.cli;

import dev.quorum.Quorum;
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
        CommandLine cli = new CommandLine(new QuorumCli()); // picocli answers usage errors with exit code 2
        int code = cli.execute(effective);
        if (code != 0 || !isServe(effective)) System.exit(code);
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
