package dev.quorum.insights;

import dev.quorum.command.Command;
import dev.quorum.command.CommandContext;
import dev.quorum.command.CommandHandler;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** {@code digest [week|month]}: the key figures of the last 7 or 30 UTC days up to today, for everyone in the channel. */
public final class DigestHandler implements CommandHandler<Command.Digest> {
    private final Digest digest;
    private final Clock clock;

    public DigestHandler(Digest digest, Clock clock) {
        this.digest = digest;
        this.clock = clock;
    }

    @Override
    public Class<Command.Digest> handles() {
        return Command.Digest.class;
    }

    @Override
    public void handle(Command.Digest cmd, CommandContext ctx) {
        ctx.reply(digest.of(cmd.period(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
    }
}
