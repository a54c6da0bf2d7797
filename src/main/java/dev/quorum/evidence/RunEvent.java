package dev.quorum.evidence;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** What a test run reports while it goes, so that its chat message can be updated in place. */
public sealed interface RunEvent {

    /** Waiting for a free slot; {@code position} 1 runs next. Sent again whenever it moves up. */
    record Queued(int position) implements RunEvent {
        public Queued {
            if (position < 1) {
                throw new IllegalArgumentException("queue positions start at 1");
            }
        }
    }

    /** A slot is free; the workspace is being prepared and the command starts next. */
    record Started(Instant at) implements RunEvent {
        public Started {
            Objects.requireNonNull(at, "at");
        }
    }

    /** The command still runs, {@code elapsed} after it started. */
    record StillRunning(Duration elapsed) implements RunEvent {
        public StillRunning {
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }

    /** The run is over, whatever its status; always the last event. */
    record Finished(EvidenceRecord evidence) implements RunEvent {
        public Finished {
            Objects.requireNonNull(evidence, "evidence");
        }
    }
}
