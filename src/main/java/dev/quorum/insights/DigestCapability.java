package dev.quorum.insights;

import dev.quorum.Assembly;
import dev.quorum.config.DigestConfig;
import dev.quorum.conversation.Conversation;

/** The {@code digest} command, and with {@code digest.schedule} its scheduler (started once Quorum is up, stopped on close). */
public final class DigestCapability {
    private DigestCapability() {}

    public static void install(Assembly a) {
        Digest digest = new Digest(new Insights(a.redis(), a.directory()), a.links());
        a.command(new DigestHandler(digest, a.clock()));
        DigestConfig config = a.config().digest();
        if (config.when().isEmpty()) return;
        int colon = config.channel().indexOf(':');
        Conversation where = new Conversation(config.channel().substring(0, colon), config.channel().substring(colon + 1), null);
        DigestScheduler scheduler = new DigestScheduler(digest, a.redis(), config, a.clock(), a.instanceId(),
                reply -> a.messenger().post(where, reply));
        a.afterStart(scheduler::start);
        a.onClose(scheduler);
    }
}
