package dev.quorum.command;

import dev.quorum.conversation.InboundHandler;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.LimitReachedException;
import dev.quorum.conversation.Messenger;
import dev.quorum.conversation.Reply;
import dev.quorum.conversation.StoreUnreachableException;
import dev.quorum.request.QueueFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where every message ends up, through the {@link dev.quorum.conversation.InboundPipeline}:
 * parses, finds the command's handler and runs it, on the caller's thread (the pipeline owns
 * ack-then-work). The console API also parses first ({@link #parse}) to answer bad input with an
 * HTTP error. Nothing a handler throws reaches a chat as a stack trace: the member gets a short apology with
 * an error id that is in the log, or, when Redis is out of reach, {@link StoreUnreachableException#LINE}.
 */
public final class CommandRouter implements InboundHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRouter.class);

    private final CommandParser parser;
    private final Messenger messenger;
    private final CommandLimits limits;
    private final Map<Class<?>, CommandHandler<?>> handlers = new HashMap<>();

    /** A router without load limits. */
    public CommandRouter(CommandParser parser, Messenger messenger, List<CommandHandler<?>> all) {
        this(parser, messenger, all, CommandLimits.NONE);
    }

    public CommandRouter(CommandParser parser, Messenger messenger, List<CommandHandler<?>> all, CommandLimits limits) {
        this.parser = parser;
        this.messenger = messenger;
        this.limits = limits;
        for (CommandHandler<?> h : all) {
            if (handlers.put(h.handles(), h) != null) {
                throw new IllegalArgumentException("two handlers for " + h.handles().getSimpleName());
            }
        }
    }

    public ParseResult parse(String text) {
        return parser.parse(text);
    }

    /**
     * Parses and runs on the caller's thread, answering bad input in chat.
     *
     * @return the id of the request the command opened, if any
     */
    @Override
    public Optional<String> handle(IncomingMessage message) {
        if (message.fromBot()) return Optional.empty(); // bots never command Quorum, Quorum included
        switch (parser.parse(message.text())) {
            case ParseResult.Parsed p -> {
                return execute(message, p.command());
            }
            case ParseResult.Invalid i -> tellSender(message, Reply.error(withUsage(i.problem(), i.usage())));
            case ParseResult.NotACommand n -> {
                if (message.addressed()) tellSender(message, Reply.error(withUsage(n.problem(), n.usage())));
            }
        }
        return Optional.empty();
    }

    /**
     * Redis is out of reach: a command gets the outage line and is not run; input that is no command
     * gets the answer it always gets (the parser needs no store).
     */
    @Override
    public void storeUnreachable(IncomingMessage message) {
        if (message.fromBot()) return;
        switch (parser.parse(message.text())) {
            case ParseResult.Parsed p -> tellSender(message, Reply.error(StoreUnreachableException.LINE));
            case ParseResult.Invalid i -> tellSender(message, Reply.error(withUsage(i.problem(), i.usage())));
            case ParseResult.NotACommand n -> {
                if (message.addressed()) tellSender(message, Reply.error(withUsage(n.problem(), n.usage())));
            }
        }
    }

    /** A problem and, when there is one, the usage to follow: {@code Usage: `test [<repo>] [<ref>]`}. */
    private static String withUsage(String problem, String usage) {
        return usage == null ? problem : problem + "\nUsage: `" + usage + "`";
    }

    /**
     * Runs a parsed command on the caller's thread.
     *
     * @return the id of the request the command opened, if any
     * @throws StoreUnreachableException when Redis went out of reach while the command ran (the sender
     *                                   has been told, where their platform can be told without Redis)
     * @throws LimitReachedException     when a load limit refused it (the sender has been told)
     */
    public Optional<String> execute(IncomingMessage message, Command command) {
        CommandContext ctx = new CommandContext(message, messenger);
        try {
            Optional<LimitReachedException> refused = limits.admit(message, command);
            if (refused.isPresent()) {
                tellSender(message, Reply.error(refused.get().getMessage()));
                throw refused.get();
            }
            dispatch(command, ctx);
        } catch (LimitReachedException e) {
            throw e;
        } catch (QueueFullException e) { // the exact cap, in the step that would have opened the request: nothing was written
            LimitReachedException refused = CommandLimits.queueFull(e.cap());
            tellSender(message, Reply.error(refused.getMessage()));
            throw refused;
        } catch (Exception e) {
            if (StoreUnreachableException.explains(e)) {
                LOG.warn("Redis went out of reach while handling '{}' from {}: {}", message.text(), message.sender(), e.toString());
                tellSender(message, Reply.error(StoreUnreachableException.LINE));
                throw e instanceof StoreUnreachableException s ? s : new StoreUnreachableException("Redis failed mid-command", e);
            }
            String errorId = "E" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36).toUpperCase();
            LOG.error("Error {} handling '{}' from {}", errorId, message.text(), message.sender(), e);
            tellSender(message, Reply.error("Something went wrong on my side (error " + errorId
                    + "). An admin can find the details in Quorum's log; `status` shows what state things are in."));
        }
        return ctx.openedRequest();
    }

    /** Errors go to the sender alone (ephemeral where the platform has it), not to the whole thread. */
    private void tellSender(IncomingMessage message, Reply reply) {
        try {
            messenger.whisper(message, reply);
        } catch (RuntimeException e) {
            if (StoreUnreachableException.explains(e)) { // the console's room is in Redis: its POST answers instead
                LOG.warn("Could not answer {} in {} without the store: {}", message.sender(), message.where(), e.toString());
            } else {
                LOG.error("Could not answer {} in {}", message.sender(), message.where(), e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <C extends Command> void dispatch(C command, CommandContext ctx) throws Exception {
        CommandHandler<C> h = (CommandHandler<C>) handlers.get(command.getClass());
        if (h == null) {
            ctx.reply(Reply.error("`" + command.name() + "` is not available in this Quorum."));
            return;
        }
        h.handle(command, ctx);
    }
}
