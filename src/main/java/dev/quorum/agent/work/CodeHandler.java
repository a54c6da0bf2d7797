package dev.quorum.agent.work;

import dev.quorum.agent.AgentRunner;
import dev.quorum.agent.Budget;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.config.QuorumConfig;
import dev.quorum.repo.RefResolutionException;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import dev.quorum.evidence.TestTargets;
import dev.quorum.request.Request;
import dev.quorum.request.RequestType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

/**
 * {@code code [in <repo>] [--budget <usd>] <task>}: resolves the repo's default branch to one base commit now (the
 * branch {@code quorum/<id>} starts there, and a rerun starts there again) and queues the coding run. Refused with one
 * message when no model is configured, while Quorum is frozen, and for a budget over {@code agents.max_budget}.
 */
public final class CodeHandler implements CommandHandler<Command.Code> {
    private final QuorumConfig config;
    private final RepoHosts hosts;
    private final AgentRequests opener;
    private final AgentConfiguration configuration;

    public CodeHandler(QuorumConfig config, RepoHosts hosts, AgentRequests opener, AgentConfiguration configuration) {
        this.config = config;
        this.hosts = hosts;
        this.opener = opener;
        this.configuration = configuration;
    }

    @Override
    public Class<Command.Code> handles() {
        return Command.Code.class;
    }

    @Override
    public void handle(Command.Code cmd, CommandContext ctx) {
        Optional<String> refusal = refusal(cmd);
        if (refusal.isPresent()) {
            ctx.reply(Reply.error(refusal.get()));
            return;
        }
        String repo = cmd.repo() != null ? cmd.repo() : config.defaultRepo();
        String ref = TestTargets.defaultBranch(config, repo);
        Sha commit;
        try {
            commit = hosts.get(repo).resolveCurrent(ref);
        } catch (RefResolutionException e) {
            ctx.reply(Reply.error(e.getMessage()));
            return;
        }
        Budget budget = cmd.budget() == null ? configuration.defaultBudget()
                : configuration.defaultBudget().withMaxCost(cmd.budget());
        Request r = open(ctx.message(), ctx.message().text(), cmd.task(), repo, ref, commit,
                configuration.runSettings(budget), null);
        ctx.opened(r.id());
    }

    private Optional<String> refusal(Command.Code cmd) {
        if (configuration.settings().modelSettings().isEmpty()) {
            return Optional.of(AgentRunner.NO_MODEL_MESSAGE);
        }
        Optional<String> frozen = opener.refusalWhileFrozen();
        if (frozen.isPresent()) {
            return frozen;
        }
        if (cmd.repo() == null && config.defaultRepo() == null) {
            return Optional.of("Which repo? No default_repo is configured; known: "
                    + String.join(", ", config.repos().keySet()) + ".");
        }
        if (cmd.budget() != null && cmd.budget().signum() <= 0) {
            return Optional.of("`--budget` must be more than $0.");
        }
        BigDecimal ceiling = configuration.budgetCeiling();
        if (cmd.budget() != null && cmd.budget().compareTo(ceiling) > 0) {
            return Optional.of("A budget of $" + dollars(cmd.budget()) + " is over the ceiling of $" + dollars(ceiling)
                    + " (agents.max_budget); ask for `--budget " + dollars(ceiling) + "` or less.");
        }
        return Optional.empty();
    }

    private Request open(IncomingMessage from, String text, String task, String repo, String ref, Sha commit,
                         RunSettings settings, String rerunOf) {
        return opener.open(RequestType.CODE, CodeJob.KIND, from, text,
                Map.of("task", task, "repo", repo, "base_ref", ref, "base_commit", commit.hex()), settings, rerunOf,
                "queued: coding in " + repo + " from " + ref + " (" + commit.abbrev() + "), budget $"
                        + dollars(settings.budget().maxCost()));
    }

    /** {@code rerun} of code: the same task from the same base commit, with the same model settings and budget. */
    public Request rerun(Request original, IncomingMessage by) {
        Map<String, String> in = opener.requests().store().inputs(original.id());
        return open(by, original.text(), in.get("task"), in.get("repo"), in.get("base_ref"), new Sha(in.get("base_commit")),
                RunSettings.fromInputs(in), original.id());
    }

    private static String dollars(BigDecimal usd) {
        return usd.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
