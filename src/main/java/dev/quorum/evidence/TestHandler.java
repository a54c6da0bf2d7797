package dev.quorum.evidence;

import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.command.NotFound;
import dev.quorum.command.PullRequestLookup;
import dev.quorum.config.QuorumConfig;
import dev.quorum.repo.MergePlan;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.RefName;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * {@code test [<repo>] [<ref>]}: resolves the ref to one commit now, so the evidence is bound to
 * exactly what was asked, and queues the run. {@code #12} is a pull request: its merge into its base is tested.
 */
public final class TestHandler implements CommandHandler<Command.Test> {
    /** The job kind that runs the tests. */
    public static final String JOB = "test";

    private final QuorumConfig config;
    private final RepoHosts hosts;
    private final Requests requests;
    private final RequestProgress progress;

    public TestHandler(QuorumConfig config, RepoHosts hosts, Requests requests, RequestProgress progress) {
        this.config = config;
        this.hosts = hosts;
        this.requests = requests;
        this.progress = progress;
    }

    @Override
    public Class<Command.Test> handles() {
        return Command.Test.class;
    }

    @Override
    public void handle(Command.Test cmd, CommandContext ctx) throws IOException {
        String repo = cmd.repo() != null ? cmd.repo() : PullRequestLookup.defaultRepo(config, ctx.message().where());
        if (repo == null) {
            ctx.reply(Reply.error("Which repo? No default_repo is configured; repos: " + String.join(", ", new TreeSet<>(config.repos().keySet())) + "."));
            return;
        }
        String ref = cmd.ref() != null ? cmd.ref() : TestTargets.defaultBranch(config, repo);
        RepoHost host = hosts.get(repo);
        OptionalInt pull = RefName.pullRequest(ref);
        if (pull.isPresent()) {
            testPullRequest(ctx, repo, host, pull.getAsInt());
            return;
        }
        Sha commit;
        try {
            commit = host.resolveCurrent(ref);
        } catch (RefResolutionException e) {
            ctx.reply(Reply.error(cmd.repo() == null && e.getMessage().startsWith("unknown ref")
                    ? NotFound.repoOrRef(ref, config.repos().keySet(), host) : NotFound.unresolved(ref, host, e.getMessage())));
            return;
        }
        Request r = open(ctx.message(), ctx.message().text(), repo, ref, commit, null, Map.of(), commit.abbrev());
        ctx.opened(r.id());
    }

    /**
     * {@code test #12}: the pull request's head merged into its base as they are now (what {@code merge #12} would
     * verify, and what GitHub's own CI tests), worked out now so the evidence is bound to one commit; the check goes
     * on the head, the commit GitHub has. A head already in its base, or its base an ancestor of the head, tests the
     * head itself.
     */
    private void testPullRequest(CommandContext ctx, String repo, RepoHost host, int number) throws IOException {
        host.refresh(); // the base as it is now; the lookup fetches the head
        PullRequest pull;
        switch (PullRequestLookup.find(host, number)) {
            case PullRequestLookup.Lookup.Missing m -> {
                ctx.reply(Reply.error(m.reply()));
                return;
            }
            case PullRequestLookup.Lookup.Ok ok -> pull = ok.found().pull();
        }
        Optional<Sha> base = host.head(pull.baseRef());
        if (base.isEmpty()) {
            ctx.reply(Reply.error(NotFound.branch(pull.baseRef(), host)));
            return;
        }
        Sha head = pull.headSha();
        String pin = "refs/quorum/tests/" + number + "/" + base.get().hex() + "-" + head.hex();
        MergePlan plan = host.planMerge(base.get(), head, true, "Merge " + pull.shown() + " into " + pull.baseRef()
                + "\n\nWorked out by Quorum to test it; nothing was merged.\n", pin,
                requests.clock().instant());
        Sha commit;
        String shown;
        switch (plan) {
            case MergePlan.Conflicts c -> {
                ctx.reply(Reply.error(pull.shown() + " conflicts with `" + pull.baseRef() + "` in " + String.join(", ", c.paths())
                        + ", so there is no merge to test; resolve it on its branch and test again."));
                return;
            }
            case MergePlan.NothingToMerge n -> {
                commit = head;
                shown = "head " + head.abbrev() + ", already in " + pull.baseRef();
            }
            case MergePlan.Ready ready when ready.result().equals(head) -> {
                commit = head;
                shown = "head " + head.abbrev() + " on " + pull.baseRef() + " " + base.get().abbrev();
            }
            case MergePlan.Ready ready -> {
                commit = ready.result();
                shown = "head " + head.abbrev() + " merged into " + pull.baseRef() + " " + base.get().abbrev() + ": " + commit.abbrev();
            }
        }
        Request r = open(ctx.message(), ctx.message().text(), repo, pull.shown(), commit, null,
                Map.of("pull_request", String.valueOf(number), "head", head.hex()), shown);
        ctx.opened(r.id());
    }

    /**
     * Opens and queues a test request of exactly this commit.
     *
     * @param more   further inputs (a pull request's number and head: its check goes on the head)
     * @param shown  the commit as the progress message names it
     */
    Request open(IncomingMessage from, String text, String repo, String ref, Sha commit, String rerunOf, Map<String, String> more,
                 String shown) {
        Map<String, String> inputs = new LinkedHashMap<>(Map.of("repo", repo, "ref", ref, "commit", commit.hex()));
        inputs.putAll(more);
        return requests.submit(new Submission(RequestType.TEST, from, text, rerunOf, inputs, JOB,
                "queued: tests of " + repo + " at " + ref + " (" + shown + ")"), progress);
    }

    /** {@code rerun} of a test: the same commit (a pull request's: the same merge), not whatever the ref points to now. */
    public Request rerun(Request original, IncomingMessage by) {
        Map<String, String> in = requests.store().inputs(original.id());
        Map<String, String> more = new LinkedHashMap<>();
        for (String key : List.of("pull_request", "head")) if (in.containsKey(key)) more.put(key, in.get(key));
        Sha commit = new Sha(in.get("commit"));
        return open(by, original.text(), in.get("repo"), in.get("ref"), commit, original.id(), more, commit.abbrev());
    }
}
