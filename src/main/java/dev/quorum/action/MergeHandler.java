package dev.quorum.action;

import dev.quorum.approval.PolicyText;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.NotFound;
import dev.quorum.command.PullRequestLookup;
import dev.quorum.config.QuorumConfig;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.RefName;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import dev.quorum.request.Request;
import dev.quorum.request.RequestIds;
import dev.quorum.request.RequestProgress;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;
import dev.quorum.request.Submission;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code merge <id, branch or #pr> [into <target>]}: proposes a merge. Nobody votes yet: first Quorum
 * computes the merge result and tests it (the verify job); the card with buttons follows. A pull request
 * ({@code #12}, or a code request's draft) becomes the subject, and the host's word about it is checked again at
 * every vote and before executing.
 */
public final class MergeHandler implements CommandHandler<Command.Merge> {
    private static final String AGENT_BRANCH = RefName.AGENT_BRANCH_PREFIX;
    /** The input of a code request (its draft) and of a merge (its subject) that holds a pull request's number. */
    static final String PULL_REQUEST = PullRequestSubjects.PULL_REQUEST;
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
        OptionalInt pull = RefName.pullRequest(cmd.source());
        if (pull.isPresent()) {
            proposePullRequest(cmd, ctx, pull.getAsInt());
            return;
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        String repo;
        String source;
        boolean byId = RequestIds.isId(cmd.source());
        Optional<Request> work = byId ? requests.find(cmd.source()) : agentBranchOf(cmd.source());
        if (byId && (work.isEmpty() || work.get().type() != RequestType.CODE)) {
            ctx.reply(Reply.error(work.isEmpty() ? NotFound.request(requests, cmd.source())
                    : cmd.source() + " is a " + work.get().type().wire() + " request; `merge` takes a code request's id, a branch or a pull request."));
            return;
        }
        if (work.isPresent()) { // the coding agent's branch, however it was named: whoever asked for that work is an author
            repo = requests.store().inputs(work.get().id()).getOrDefault("repo", config.defaultRepo());
            source = byId ? AGENT_BRANCH + work.get().id() : cmd.source();
            inputs.putAll(workInputs(work.get()));
        } else {
            repo = PullRequestLookup.defaultRepo(config, ctx.message().where());
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
        if (work.isPresent()) {
            Optional<String> refusal = draftOf(work.get(), host, target, inputs);
            if (refusal.isPresent()) {
                ctx.reply(Reply.error(refusal.get()));
                return;
            }
        }
        propose(ctx, inputs, repo, source, target);
    }

    /**
     * {@code merge #12 [into <base>]}: the pull request's head into its base, verified exactly as a branch is (its
     * head merged into the base in Quorum's copy, the tests on the result). Its author is an author; so is whoever
     * asked for the work when it is a coding run's branch. A closed, merged or draft pull request is refused, and so is
     * a target other than its base (it lands in its base, on GitHub as by push).
     */
    private void proposePullRequest(Command.Merge cmd, CommandContext ctx, int number) throws IOException {
        String repo = PullRequestLookup.defaultRepo(config, ctx.message().where());
        if (repo == null || !config.repos().containsKey(repo)) {
            ctx.reply(Reply.error("Which repo? No default_repo is configured."));
            return;
        }
        RepoHost host = hosts.get(repo);
        host.refresh();
        PullRequestLookup.Found found;
        switch (PullRequestLookup.find(host, number)) {
            case PullRequestLookup.Lookup.Missing m -> {
                ctx.reply(Reply.error(m.reply()));
                return;
            }
            case PullRequestLookup.Lookup.Ok ok -> found = ok.found();
        }
        PullRequest pr = found.pull();
        Optional<Request> work = RefName.isAgentBranch(pr.headRef()) ? agentBranchOf(pr.headRef()) : Optional.empty();
        boolean ownDraft = work.map(w -> String.valueOf(number).equals(requests.store().inputs(w.id()).get(PULL_REQUEST)))
                .orElse(false);
        Optional<String> refusal = PullRequestSubjects.whyNotMergeable(pr, found.pulls().landing(), repo, pr.shown(), ownDraft);
        if (refusal.isPresent()) {
            ctx.reply(Reply.error(PullRequestLookup.sentence(refusal.get())));
            return;
        }
        String target = cmd.target() != null ? cmd.target() : pr.baseRef();
        if (!target.equals(pr.baseRef())) {
            ctx.reply(Reply.error(pr.shown() + " merges into `" + pr.baseRef() + "`, not `" + target
                    + "`: a pull request lands in its base. Change its base on GitHub, or merge its branch with `into`."));
            return;
        }
        if (host.head(target).isEmpty()) {
            ctx.reply(Reply.error(NotFound.branch(target, host)));
            return;
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        work.ifPresent(w -> inputs.putAll(workInputs(w)));
        inputs.putAll(PullRequestSubjects.inputs(pr));
        propose(ctx, inputs, repo, pr.shown(), target);
    }

    /**
     * {@code merge R12} on a repo with pull requests: the subject is R12's draft pull request when it has one into
     * this target (the number its run stored), so GitHub's state about it counts (closed, pushed to, merged). Empty
     * when it may be proposed (with or without its pull request), else why not.
     */
    private Optional<String> draftOf(Request work, RepoHost host, String target, Map<String, String> inputs) {
        String stored = requests.store().inputs(work.id()).get(PULL_REQUEST);
        OptionalInt number = stored == null ? OptionalInt.empty() : RefName.pullRequest("#" + stored);
        if (number.isEmpty() || host.pullRequests().isEmpty()) return Optional.empty();
        return switch (PullRequestLookup.find(host, number.getAsInt())) {
            case PullRequestLookup.Lookup.Missing m -> Optional.of(m.reply());
            case PullRequestLookup.Lookup.Ok ok when !ok.found().pull().baseRef().equals(target) -> Optional.empty(); // merged as a branch
            case PullRequestLookup.Lookup.Ok ok -> {
                PullRequest pr = ok.found().pull();
                Optional<String> why = PullRequestSubjects.whyNotMergeable(pr, ok.found().pulls().landing(), host.name(),
                        work.id() + "'s pull request " + pr.shown(), true);
                if (why.isEmpty()) inputs.putAll(PullRequestSubjects.inputs(pr));
                yield why.map(PullRequestLookup::sentence);
            }
        };
    }

    private static Map<String, String> workInputs(Request work) {
        return Map.of("work_request", work.id(), "work_requester", work.requester().toString());
    }

    private void propose(CommandContext ctx, Map<String, String> inputs, String repo, String source, String target) {
        inputs.put("repo", repo);
        inputs.put("source", source);
        inputs.put("target", target);
        Request r = requests.submit(new Submission(RequestType.MERGE, ctx.message(), ctx.message().text(), null, inputs, VerifyJob.KIND,
                "verifying: Quorum merges `" + source + "` into `" + target + "` and runs the tests on the result before anyone votes"), progress);
        ctx.opened(r.id());
    }
}
