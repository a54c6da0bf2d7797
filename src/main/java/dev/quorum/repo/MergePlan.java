package dev.quorum.repo;

import java.util.List;
import java.util.Objects;

/** The outcome of working out a merge before anyone votes on it ({@link RepoHost#planMerge}). */
public sealed interface MergePlan {
    /**
     * The merge can be done: {@code result} is the commit the target would move to (a merge
     * commit with parents target and source, or the source itself for a fast-forward). Nothing
     * has moved; the result is kept alive under {@code pinRef}.
     */
    record Ready(Sha target, Sha source, Sha result, boolean fastForward, DiffStat diff, String pinRef) implements MergePlan {
        public Ready {
            Objects.requireNonNull(target);
            Objects.requireNonNull(source);
            Objects.requireNonNull(result);
            Objects.requireNonNull(diff);
        }
    }

    /** The source is already contained in the target. */
    record NothingToMerge(Sha target, Sha source) implements MergePlan {}

    /** The two sides conflict in these paths; a human has to resolve them on the source branch. */
    record Conflicts(List<String> paths) implements MergePlan {
        public Conflicts {
            paths = List.copyOf(paths);
        }
    }
}
