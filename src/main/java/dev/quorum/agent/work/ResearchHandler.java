package dev.quorum.agent.work;

import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.Reply;
import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;
import dev.quorum.request.Request;
import dev.quorum.request.RequestType;
import java.util.Map;
import java.util.Optional;

/**
 * {@code research <question>}: queues a research run with the configured model and budget. With no model configured
 * it still runs, answering from the team's documents alone and saying so.
 */
public final class ResearchHandler implements CommandHandler<Command.Research> {
    private final AgentRequests opener;
    private final AgentConfiguration configuration;

    public ResearchHandler(AgentRequests opener, AgentConfiguration configuration) {
        this.opener = opener;
        this.configuration = configuration;
    }

    @Override
    public Class<Command.Research> handles() {
        return Command.Research.class;
    }

    @Override
    public void handle(Command.Research cmd, CommandContext ctx) {
        Optional<String> frozen = opener.refusalWhileFrozen();
        if (frozen.isPresent()) {
            ctx.reply(Reply.error(frozen.get()));
            return;
        }
        Request r = open(ctx.message(), ctx.message().text(), cmd.question(),
                configuration.runSettings(configuration.defaultBudget()), null);
        ctx.opened(r.id());
    }

    private Request open(IncomingMessage from, String text, String question, RunSettings settings, String rerunOf) {
        String status = settings.model().isPresent() ? "queued: research"
                : "queued: research from the team's documents alone (no model is configured)";
        return opener.open(RequestType.RESEARCH, ResearchJob.KIND, from, text, Map.of("question", question), settings,
                rerunOf, status);
    }

    /** {@code rerun} of research: the same question with the same model settings and budget. */
    public Request rerun(Request original, IncomingMessage by) {
        Map<String, String> in = opener.requests().store().inputs(original.id());
        return open(by, original.text(), in.get("question"), RunSettings.fromInputs(in), original.id());
    }
}
