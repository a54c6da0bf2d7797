package dev.quorum.repo;

import java.util.List;

/**
 * What a change touches, like {@code git diff --stat}: the one measure of a change merges, deploys
 * and coding runs show.
 *
 * @param files      per-file counts, in path order
 * @param insertions lines added over all files
 * @param deletions  lines removed over all files
 */
public record DiffStat(List<FileChange> files, int insertions, int deletions) {

    public static final DiffStat EMPTY = new DiffStat(List.of(), 0, 0);

    public DiffStat {
        files = List.copyOf(files);
    }

    public int filesChanged() {
        return files.size();
    }

    /** Every changed path (new name for renames), sorted. */
    public List<String> paths() {
        return files.stream().map(FileChange::path).distinct().sorted().toList();
    }

    /** {@code 3 files changed, +25 −3}: the short form request cards show. */
    public String summary() {
        int n = paths().size();
        return n + (n == 1 ? " file" : " files") + " changed, +" + insertions + " −" + deletions;
    }

    /** "3 files changed, 40 insertions(+), 2 deletions(-)", as git prints it (coding run replies). */
    public String gitSummary() {
        return filesChanged() + (filesChanged() == 1 ? " file changed" : " files changed")
                + ", " + insertions + (insertions == 1 ? " insertion(+)" : " insertions(+)")
                + ", " + deletions + (deletions == 1 ? " deletion(-)" : " deletions(-)");
    }

    /**
     * One changed file.
     *
     * @param path       new path (old path for a deletion)
     * @param change     "add", "modify", "delete", "rename" or "copy"
     * @param insertions lines added (0 for binary files)
     * @param deletions  lines removed (0 for binary files)
     */
    public record FileChange(String path, String change, int insertions, int deletions) {
    }
}
