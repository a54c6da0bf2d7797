package dev.quorum.agent.work;

import dev.quorum.conversation.IncomingMessage;
import dev.quorum.config.Directory;
import dev.quorum.request.FreezeSwitch;
import dev.quorum.request.Request;
import dev.quorum.request.RequestProgress;
import dev.quorum.request.RequestType;
import dev.quorum.request.Requests;
import dev.quorum.request.Submission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Opens agent requests the same way for {@code research}, {@code code} and their reruns: the request, its inputs
 * and settings (so any worker and any later {@code rerun} use exactly these) and its job in one step, then its progress message.
 * Thread-safe; blocking.
 */
public final class AgentRequests {
    private final Requests requests;
    private final RequestProgress progress;
    private final FreezeSwitch freeze;
    private final Directory directory;

    public AgentRequests(Requests requests, RequestProgress progress, FreezeSwitch freeze, Directory directory) {
        this.requests = requests;
        this.progress = progress;
        this.freeze = freeze;
        this.directory = directory;
    }

    Requests requests() {
        return requests;
    }

    /** Why no new agent request is accepted now, or empty: while frozen no agent starts. */
    Optional<String> refusalWhileFrozen() {
        return freeze.current().map(f -> "Quorum is frozen (by " + directory.nameOf(f.by()) + (f.reason() == null ? "" : ": " + f.reason())
                + "), so no agent starts. Ask again after on-call says `unfreeze`.");
    }

    /**
     * @param inputs what the request works on, besides its settings
     * @param status the progress message's first status
     */
    Request open(RequestType type, String job, IncomingMessage from, String text, Map<String, String> inputs,
                 RunSettings settings, String rerunOf, String status) {
        Map<String, String> all = new LinkedHashMap<>(inputs);
        all.putAll(settings.toInputs());
        return requests.submit(new Submission(type, from, text, rerunOf, all, job, status), progress);
    }
}
