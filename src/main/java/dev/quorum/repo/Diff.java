package dev.quorum.repo;

import java.util.List;
import java.util.Objects;

/**
 * A change as a reviewer reads it: every changed file with its unified hunks (three lines of
 * context, as {@code git diff} shows them). Bounded, so that a huge change cannot make a huge
 * answer: a file's lines past {@link GitRepos#FILE_LINES}, files past the whole diff's budget,
 * files larger than {@link GitRepos#FILE_BYTES} and binary files keep their counts and say why
 * their lines are not shown.
 *
 * @param files      every changed file, in path order, each with its counts even when its lines are left out
 * @param insertions lines added over all files
 * @param deletions  lines removed over all files
 * @param truncated  whether any file's lines were cut or left out
 */
public record Diff(List<FilePatch> files, int insertions, int deletions, boolean truncated) {
    public Diff {
        files = List.copyOf(files);
    }

    /** The same change counted: what cards and policies use. */
    public DiffStat stat() {
        return new DiffStat(files.stream().map(FilePatch::path).distinct().sorted().toList(), insertions, deletions);
    }

    /** How a file changed. */
    public enum Change { ADD, MODIFY, DELETE, RENAME, COPY }

    /**
     * One file of a change.
     *
     * @param path       the new path (the old one for a deletion)
     * @param oldPath    the path before a rename or copy; else {@code null}
     * @param insertions lines added (0 for binary files)
     * @param deletions  lines removed (0 for binary files)
     * @param binary     a binary file: named, never dumped
     * @param truncated  some or all of its lines are left out (see the note)
     * @param note       why lines are missing or what else changed (mode, submodule), for people; or {@code null}
     * @param hunks      the changed lines with context; empty when none are shown
     */
    public record FilePatch(String path, String oldPath, Change change, int insertions, int deletions, boolean binary,
                            boolean truncated, String note, List<Hunk> hunks) {
        public FilePatch {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(change, "change");
            hunks = List.copyOf(hunks);
        }
    }

    /**
     * A run of changed lines with their context.
     *
     * @param oldStart the first old line shown, counted from 1
     * @param oldLines how many old lines the hunk covers
     * @param newStart the first new line shown, counted from 1
     * @param newLines how many new lines the hunk covers
     * @param lines    each line with its marker, as in a unified diff: {@code " "} context, {@code "-"} removed,
     *                 {@code "+"} added; an overlong line is cut and ends in {@code …}
     */
    public record Hunk(int oldStart, int oldLines, int newStart, int newLines, List<String> lines) {
        public Hunk {
            lines = List.copyOf(lines);
        }
    }
}
