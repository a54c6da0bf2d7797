package dev.quorum.command;

/**
 * Turns one kind of command into effects and replies. Runs on a virtual thread and may block.
 * Refusals (bad state, no permission) are replies, not exceptions; an exception means a bug or
 * an outage, and the router answers with a short apology and an error id.
 */
public interface CommandHandler<C extends Command> {
    Class<C> handles();

    void handle(C command, CommandContext ctx) throws Exception;
}
