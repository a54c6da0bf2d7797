package dev.quorum.action;

import dev.quorum.approval.PolicyText;
import dev.quorum.approval.SubjectCheck;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.NotFound;
import dev.quorum.config.QuorumConfig;
import dev.quorum.repo.RefResolutionException;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import dev.quorum.request.Request;
import dev.quorum.request.RequestProgress;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;
import dev.quorum.request.Submission;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code deploy <environment> [<ref>]}: proposes deploying one exact commit, only one that went
 * through the merge rule (on the repo's default branch) or that a ref allowed by the
 * environment's {@code refs:} names; anything else is refused here and nothing is stored.
 * Verification attaches the newest passing evidence for it (or runs the tests) before anyone votes.
 */
public final class DeployHandler implements CommandHandler<Command.Deploy> {
    private final QuorumConfig config;
    private final RepoHosts hosts;
    private final Requests requests;
    private final RequestProgress progress;

    public DeployHandler(QuorumConfig config, RepoHosts hosts, Requests requests, RequestProgress progress) {
        this.config = config;
        this.hosts = hosts;
        this.requests = requests;
        this.progress = progress;
    }

    @Override
    public Class<Command.Deploy> handles() {
        return Command.Deploy.class;
    }

    @Override
    public void handle(Command.Deploy cmd, CommandContext ctx) throws IOException {
        String env = cmd.environment();
        if (!config.environments().containsKey(env)) {
            ctx.reply(Reply.error(NotFound.environment(env, config.environments().keySet())));
            return;
        }
        String action = "deploy." + env;
        if (PolicyText.find(config, action).isEmpty()) {
            ctx.reply(Reply.error("No policy covers `" + action + "` in Quorum's config, so it cannot be deployed. An admin can add `policies." + action + "`."));
            return;
        }
        String repo = config.repoOf(env);
        String ref = cmd.ref() != null ? cmd.ref() : config.repos().get(repo).defaultBranch();
        RepoHost host = hosts.get(repo);
        Sha sha;
        try {
            sha = host.resolveCurrent(ref);
        } catch (RefResolutionException e) {
            ctx.reply(Reply.error(NotFound.unresolved(ref, host, e.getMessage())));
            return;
        }
        Optional<String> unshippable = SubjectCheck.whyNotShippable(config, host, env, ref, sha);
        if (unshippable.isPresent()) { // SPEC §11: nothing is stored, so no unmerged code is ever tested or deployed for it
            ctx.reply(Reply.error("Cannot deploy: " + unshippable.get() + ". Merge it first."));
            return;
        }
        Request r = requests.submit(new Submission(RequestType.DEPLOY, ctx.message(), ctx.message().text(), null,
                Map.of("environment", env, "repo", repo, "ref", ref, "sha", sha.hex()), VerifyJob.KIND,
                "verifying: " + sha.abbrev() + " (" + ref + ") needs passing evidence before anyone votes"), progress);
        ctx.opened(r.id());
    }
}
