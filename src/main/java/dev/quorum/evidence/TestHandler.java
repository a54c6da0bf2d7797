package dev.quorum.evidence;

import dev.quorum.conversation.IncomingMessage;
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

import java.io.IOException;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code test [<repo>] [<ref>]}: resolves the ref to one commit now, so the evidence is bound to
 * exactly what was asked, and queues the run.
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
        String repo = cmd.repo() != null ? cmd.repo() : config.defaultRepo();
        if (repo == null) {
            ctx.reply(Reply.error("Which repo? No default_repo is configured; repos: " + String.join(", ", new TreeSet<>(config.repos().keySet())) + "."));
            return;
        }
        String ref = cmd.ref() != null ? cmd.ref() : TestTargets.defaultBranch(config, repo);
        RepoHost host = hosts.get(repo);
        Sha commit;
        try {
            commit = host.resolveCurrent(ref);
        } catch (RefResolutionException e) {
            ctx.reply(Reply.error(cmd.repo() == null && e.getMessage().startsWith("unknown ref")
                    ? NotFound.repoOrRef(ref, config.repos().keySet(), host) : NotFound.unresolved(ref, host, e.getMessage())));
            return;
        }
        Request r = open(ctx.message(), ctx.message().text(), repo, ref, commit, null);
        ctx.opened(r.id());
    }

    /** Opens and queues a test request of exactly this commit. */
    Request open(IncomingMessage from, String text, String repo, String ref, Sha commit, String rerunOf) {
        Request r = requests.open(RequestType.TEST, from, text, rerunOf);
        requests.store().setInputs(r.id(), Map.of("repo", repo, "ref", ref, "commit", commit.hex()));
        progress.open(r, "queued: tests of " + repo + " at " + ref + " (" + commit.abbrev() + ")");
        requests.enqueue(r, JOB);
        return r;
    }

    /** {@code rerun} of a test: the same commit, not whatever the ref points to now. */
    public Request rerun(Request original, IncomingMessage by) {
        Map<String, String> in = requests.store().inputs(original.id());
        return open(by, original.text(), in.get("repo"), in.get("ref"), new Sha(in.get("commit")), original.id());
    }
}
