package dev.quorum.command.handlers;

import dev.quorum.approval.PolicyText;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandCatalog;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.CommandSpec;
import dev.quorum.config.QuorumConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** {@code help [<command>]}: generated from the command catalog and the policies in force. */
public final class HelpHandler implements CommandHandler<Command.Help> {
    private final QuorumConfig config;

    public HelpHandler(QuorumConfig config) {
        this.config = config;
    }

    @Override
    public Class<Command.Help> handles() {
        return Command.Help.class;
    }

    @Override
    public void handle(Command.Help cmd, CommandContext ctx) {
        if (cmd.topic() != null) {
            CommandSpec spec = CommandCatalog.find(cmd.topic()).orElseThrow();
            StringBuilder sb = new StringBuilder("`" + spec.usage() + "` — " + spec.summary() + "\nWho: " + spec.who() + "\nExamples:");
            spec.examples().forEach(e -> sb.append("\n• `").append(e).append('`'));
            ctx.reply(Reply.text(sb.toString()));
            return;
        }
        StringBuilder sb = new StringBuilder("I am Quorum. Agents do the work, I run the tests myself, and people approve.\nCommands:");
        for (CommandSpec spec : CommandCatalog.all()) {
            sb.append("\n• `").append(spec.usage()).append("` — ").append(spec.summary());
        }
        List<Reply.Field> fields = new ArrayList<>();
        new TreeMap<>(config.policies()).forEach((action, p) -> fields.add(new Reply.Field(action, PolicyText.describe(p))));
        sb.append("\nSay `help <command>` for examples.");
        sb.append("\nPolicies in force:"); // the fields follow
        if (fields.isEmpty()) sb.append(" none configured, so nothing can be merged or deployed.");
        ctx.reply(Reply.text(sb.toString()).withFields(fields));
    }
}
