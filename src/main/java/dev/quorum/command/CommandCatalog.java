package dev.quorum.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The help of every command of SPEC §3, in the order {@code help} lists them. */
public final class CommandCatalog {
    private static final Map<String, CommandSpec> SPECS = new LinkedHashMap<>();

    static {
        add("help", "help [<command>]", "the commands and the policies in force", "anyone",
                "help", "help merge");
        add("research", "research <question>", "a research agent answers with cited sources", "anyone",
                "research how does our retry policy handle 429s?");
        add("code", "code [in <repo>] [--budget <usd>] <task>", "a coding agent works on a new branch quorum/<id> and posts the diff and test evidence", "anyone",
                "code add a /ping endpoint with a test", "code in demo --budget 2.50 fix the greeting typo");
        add("test", "test [<repo>] [<ref>]", "Quorum runs the tests at that ref (on GitHub `#123`: the pull request merged into its base) and posts the evidence", "anyone",
                "test", "test demo feature/greeting", "test a1b2c3d", "test #12");
        add("merge", "merge <id or branch> [into <target>]", "proposes a merge; it happens once a quorum approved the tested result (on GitHub `#123` names a pull request)", "anyone",
                "merge feature/greeting", "merge R12 into main", "merge #12");
        add("deploy", "deploy <environment> [<ref>]", "proposes a deployment; it happens once a quorum approved", "anyone",
                "deploy staging", "deploy production a1b2c3d");
        add("approve", "approve <id>", "votes for a merge or deployment (the card's button does the same)", "eligible members, not the authors",
                "approve R12");
        add("reject", "reject <id> [reason]", "votes against; with veto one reject ends the request", "eligible members",
                "reject R12 needs a migration first");
        add("status", "status [<id>]", "what is going on, or one request in detail", "anyone",
                "status", "status R12");
        add("history", "history [mine | @someone] [last <n>]", "what happened, newest first", "anyone",
                "history", "history mine last 5", "history @bob");
        add("cancel", "cancel <id>", "stops a queued or running request", "the requester or on-call",
                "cancel R12");
        add("rerun", "rerun <id>", "runs a research, code or test request again with the same inputs and settings", "anyone",
                "rerun R9");
        add("freeze", "freeze [reason]", "kill switch: no agent starts, no merge or deploy executes", "on-call",
                "freeze incident 4711");
        add("unfreeze", "unfreeze", "lifts the freeze; approved actions that are still valid execute", "on-call",
                "unfreeze");
        add("incident", "incident <deploy id> <text>", "marks a finished deploy as failed (change failure rate, time to restore)",
                "on-call", "incident R31 checkout returns 500");
        add("digest", "digest [week|month]", "posts the key figures of the last 7 (or 30) days, as the console's Insights page has them",
                "anyone", "digest", "digest month");
        add("policy", "policy [<action>]", "the quorum rules for an action", "anyone",
                "policy", "policy merge", "policy deploy production");
    }

    private CommandCatalog() {}

    private static void add(String name, String usage, String summary, String who, String... examples) {
        SPECS.put(name, new CommandSpec(name, usage, summary, who, List.of(examples)));
    }

    public static List<CommandSpec> all() {
        return List.copyOf(SPECS.values());
    }

    /** The command words, in catalog order. */
    public static List<String> names() {
        return List.copyOf(SPECS.keySet());
    }

    public static Optional<CommandSpec> find(String name) {
        return Optional.ofNullable(SPECS.get(name));
    }

    public static String usage(String name) {
        return SPECS.get(name).usage();
    }
}
