package dev.quorum.action;

import dev.quorum.approval.PolicyText;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.NotFound;
import dev.quorum.config.QuorumConfig;
import dev.quorum.repo.RefName;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import dev.quorum.request.Request;
import dev.quorum.request.RequestIds;
import dev.quorum.request.RequestProgress;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code merge <id or branch> [into <target>]}: proposes a merge. Nobody votes yet: first Quorum
 * computes the merge result and tests it (the verify job); the card with buttons follows.
 */
public final class MergeHandler implements CommandHandler<Command.Merge> {
    private static final String AGENT_BRANCH = RefName.AGENT_BRANCH_PREFIX;
    private final QuorumConfig config;
    private final RepoHosts hosts;
    private final Requests requests;
    private final RequestProgress progress;

    public MergeHandler(QuorumConfig config, RepoHosts hosts, Requests requests, RequestProgress progress) {
        this.config = config;
        this.hosts = hosts;
        this.requests = requests;
        this.progress = progress;
    }

    /**
     * The code request whose agent branch {@code quorum/R<n>} is, when {@code branch} is one:
     * {@code merge quorum/R12} must keep R12's requester an author, exactly as {@code merge R12}.
     * The id is matched case-insensitively: naming more authors only ever narrows who may approve.
     */
    private Optional<Request> agentBranchOf(String branch) {
        if (!branch.startsWith(AGENT_BRANCH) || !RequestIds.isId(branch.substring(AGENT_BRANCH.length()))) return Optional.empty();
        return requests.find(branch.substring(AGENT_BRANCH.length())).filter(w -> w.type() == RequestType.CODE);
    }

    @Override
    public Class<Command.Merge> handles() {
        return Command.Merge.class;
    }

    @Override
    public void handle(Command.Merge cmd, CommandContext ctx) throws IOException {
        if (PolicyText.find(config, "merge").isEmpty()) {
            ctx.reply(Reply.error("No policy covers `merge` in Quorum's config, so nothing can be merged. An admin can add `policies.merge`."));
            return;
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        String repo;
        String source;
        boolean byId = RequestIds.isId(cmd.source());
        Optional<Request> work = byId ? requests.find(cmd.source()) : agentBranchOf(cmd.source());
        if (byId && (work.isEmpty() || work.get().type() != RequestType.CODE)) {
            ctx.reply(Reply.error(work.isEmpty() ? NotFound.request(requests, cmd.source())
                    : cmd.source() + " is a " + work.get().type().wire() + " request; `merge` takes a code request's id or a branch."));
            return;
        }
        if (work.isPresent()) { // the coding agent's branch, however it was named: whoever asked for that work is an author
            repo = requests.store().inputs(work.get().id()).getOrDefault("repo", config.defaultRepo());
            source = byId ? AGENT_BRANCH + work.get().id() : cmd.source();
            inputs.put("work_request", work.get().id());
            inputs.put("work_requester", work.get().requester().toString());
        } else {
            repo = config.defaultRepo();
            source = cmd.source();
        }
        if (repo == null || !config.repos().containsKey(repo)) {
            ctx.reply(Reply.error("Which repo? No default_repo is configured."));
            return;
        }
        String target = cmd.target() != null ? cmd.target() : config.repos().get(repo).defaultBranch();
        RepoHost host = hosts.get(repo);
        host.refresh();
        if (host.head(source).isEmpty()) {
            ctx.reply(Reply.error(NotFound.branch(source, host)));
            return;
        }
        if (host.head(target).isEmpty()) {
            ctx.reply(Reply.error(NotFound.branch(target, host)));
            return;
        }
        if (source.equals(target)) {
            ctx.reply(Reply.error("`" + source + "` cannot be merged into itself."));
            return;
        }
        inputs.put("repo", repo);
        inputs.put("source", source);
        inputs.put("target", target);
        Request r = requests.open(RequestType.MERGE, ctx.message(), ctx.message().text(), null);
        requests.store().setInputs(r.id(), inputs);
        progress.open(r, "verifying: Quorum merges `" + source + "` into `" + target + "` and runs the tests on the result before anyone votes");
        requests.enqueue(r, VerifyJob.KIND);
        ctx.opened(r.id());
    }
}
