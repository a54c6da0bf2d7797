package dev.quorum.agent.loop;

import dev.quorum.agent.RunOutcome;
import dev.quorum.agent.Usage;
import dev.quorum.agent.transcript.TranscriptEntry;
import java.util.List;
import java.util.Optional;

/**
 * How a loop run ended.
 *
 * @param outcome    why it ended
 * @param finalText  the model's last non-blank text: its answer when completed, else what it said last, else null
 * @param usage      what it consumed
 * @param transcript every model and tool call, in order
 */
public record LoopResult(RunOutcome outcome, String finalText, Usage usage, List<TranscriptEntry> transcript) {

    public LoopResult {
        transcript = List.copyOf(transcript);
    }

    public Optional<String> text() {
        return Optional.ofNullable(finalText).filter(t -> !t.isBlank());
    }
}
