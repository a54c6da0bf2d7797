package dev.quorum.repo;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A change as a reviewer reads it: every changed file with its unified hunks (three lines of
 * context, as {@code git diff} shows them). Bounded, so that a huge change cannot make a huge
 * answer: a file's lines past {@link #FILE_LINES}, files past the whole diff's budget,
 * files larger than {@link #FILE_BYTES} and binary files keep their counts and say why
 * their lines are not shown.
 *
 * @param files      every changed file, in path order, each with its counts even when its lines are left out
 * @param insertions lines added over all files
 * @param deletions  lines removed over all files
 * @param truncated  whether any file's lines were cut or left out
 */
public record Diff(List<FilePatch> files, int insertions, int deletions, boolean truncated) {
    /** A file's lines past this many are cut, with a note. */
    public static final int FILE_LINES = 2_000;
    /** The whole diff shows about this many lines; later files keep their counts and a note. */
    public static final int DIFF_LINES = 10_000;
    /** The whole diff shows about this many characters of lines: a bound on the answer's size. */
    public static final int DIFF_CHARS = 1_000_000;
    /** Longer lines are cut and end in {@code …}. */
    public static final int LINE_CHARS = 1_000;
    /** Larger files are not read for their lines at all. */
    public static final long FILE_BYTES = 2L * 1024 * 1024;

    public Diff {
        files = List.copyOf(files);
    }

    /** The same change counted: what cards and policies use. */
    public DiffStat stat() {
        return new DiffStat(files.stream().map(f -> new DiffStat.FileChange(f.path(), f.change().name().toLowerCase(Locale.ROOT),
                f.insertions(), f.deletions())).toList(), insertions, deletions);
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
