package dev.quorum.command.handlers;

import dev.quorum.approval.PolicyText;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.NotFound;
import dev.quorum.config.PolicyConfig;
import dev.quorum.config.QuorumConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

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
        if (cmd.action().equals("deploy")) {
            deployPolicies(ctx);
            return;
        }
        if (cmd.action().startsWith("deploy.")) {
            String env = cmd.action().substring("deploy.".length());
            if (!config.environments().containsKey(env)) {
                ctx.reply(Reply.error(NotFound.environment(env, config.environments().keySet())));
                return;
            }
            ctx.reply(PolicyText.find(config, cmd.action())
                    .map(p -> Reply.text("`" + cmd.action() + "`" + (config.policies().containsKey(cmd.action()) ? "" : " (the `deploy` policy)")
                            + ": " + PolicyText.describe(p)))
                    .orElse(Reply.error("No policy covers `" + cmd.action() + "`, so nothing can be deployed to " + env + ".")));
            return;
        }
        Optional<PolicyConfig> p = PolicyText.find(config, cmd.action());
        ctx.reply(p.map(policy -> Reply.text("`" + cmd.action() + "`: " + PolicyText.describe(policy)))
                .orElse(Reply.error("No policy covers `" + cmd.action() + "`, so it cannot be approved or executed.")));
    }

    /** {@code policy deploy}: each environment's rule, its own {@code deploy.<env>} or the shared {@code deploy}. */
    private void deployPolicies(CommandContext ctx) {
        List<Reply.Field> fields = new ArrayList<>();
        for (String env : new TreeSet<>(config.environments().keySet())) {
            String action = "deploy." + env;
            fields.add(new Reply.Field(action, PolicyText.find(config, action).map(PolicyText::describe)
                    .orElse("no policy, so nothing can be deployed there")));
        }
        if (fields.isEmpty()) {
            ctx.reply(Reply.error("No environment is configured, so nothing can be deployed."));
            return;
        }
        PolicyConfig shared = config.policies().get("deploy");
        ctx.reply(Reply.text(shared == null ? "Each environment has its own deploy policy (from Quorum's config, never from a branch):"
                : "`deploy`: " + PolicyText.describe(shared) + ". Per environment:").withFields(fields));
    }
}
