package dev.quorum.command;

import dev.quorum.request.Request;
import dev.quorum.request.RequestType;

import java.util.Map;
import java.util.Optional;

/**
 * The registry of {@link Rerunner}s by request type (each capability registers its own while Quorum assembles) and, from
 * it, how a member goes on with a request Quorum gave up on: the one wording of that hint, wherever it is said (the
 * worker pool's attempt cap, the agent's own resume cap), so that it never says {@code rerun} for a type that cannot be
 * rerun, nor forgets it for one that can.
 */
public final class Reruns {
    private final Map<RequestType, Rerunner> byType;

    /** Over {@code byType}, read when asked: a live view may still be filled while Quorum assembles. */
    public Reruns(Map<RequestType, Rerunner> byType) {
        this.byType = byType;
    }

    public Optional<Rerunner> of(RequestType type) {
        return Optional.ofNullable(byType.get(type));
    }

    /**
     * What the member can do next with {@code r}, a clause to end a failure's reply: {@code `rerun R12` starts it again}
     * for a type with a rerunner; for a merge or deploy (never rerun: it may have acted part-way) to check what it acted
     * on and propose it again; empty otherwise.
     */
    public Optional<String> howToGoOn(Request r) {
        if (r.type().isAction()) { // as `rerun` itself answers: a merge or deploy is proposed again, never rerun
            return Optional.of("check what it acts on before proposing it again (`" + r.text().replace("`", "'") + "`)");
        }
        return byType.containsKey(r.type()) ? Optional.of(again(r.id())) : Optional.empty();
    }

    /** The hint for a request whose type has a rerunner. */
    public static String again(String requestId) {
        return "`rerun " + requestId + "` starts it again";
    }
}
