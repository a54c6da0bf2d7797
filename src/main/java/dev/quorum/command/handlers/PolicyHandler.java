package dev.quorum.command.handlers;

import dev.quorum.approval.PolicyText;
import dev.quorum.chat.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.config.PolicyConfig;
import dev.quorum.config.QuorumConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** {@code policy [<action>]}: the quorum rules from Quorum's own config. */
public final class PolicyHandler implements CommandHandler<Command.Policy> {
    private final QuorumConfig config;

    public PolicyHandler(QuorumConfig config) {
        this.config = config;
    }

    @Override
    public Class<Command.Policy> handles() {
        return Command.Policy.class;
    }

    @Override
    public void handle(Command.Policy cmd, CommandContext ctx) {
        if (cmd.action() == null) {
            List<Reply.Field> fields = new ArrayList<>();
            new TreeMap<>(config.policies()).forEach((a, p) -> fields.add(new Reply.Field(a, PolicyText.describe(p))));
            ctx.reply(Reply.text(fields.isEmpty() ? "No policies are configured: nothing can be merged or deployed."
                    : "Policies in force (from Quorum's config, never from a branch):").withFields(fields));
            return;
        }
        if (cmd.action().startsWith("deploy.") && !config.environments().containsKey(cmd.action().substring(7))) {
            ctx.reply(Reply.error("There is no environment `" + cmd.action().substring(7) + "`; known: "
                    + String.join(", ", new TreeMap<>(config.environments()).keySet()) + "."));
            return;
        }
        Optional<PolicyConfig> p = PolicyText.find(config, cmd.action());
        ctx.reply(p.map(policy -> Reply.text("`" + cmd.action() + "`: " + PolicyText.describe(policy)))
                .orElse(Reply.error("No policy covers `" + cmd.action() + "`, so it cannot be approved or executed.")));
    }
}
