package dev.quorum.repo;

import java.util.List;

/**
 * What a change touches, git-style.
 *
 * @param paths      every changed path (new name for renames), sorted
 * @param insertions lines added
 * @param deletions  lines removed
 */
public record DiffStat(List<String> paths, int insertions, int deletions) {
    public DiffStat {
        paths = List.copyOf(paths);
    }

    /** {@code 3 files changed, +25 −3} */
    public String summary() {
        int n = paths.size();
        return n + (n == 1 ? " file" : " files") + " changed, +" + insertions + " −" + deletions;
    }
}
