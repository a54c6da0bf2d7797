package dev.quorum.agent.coding;

/**
 * Output bounds of the coding tools, so one call cannot flood the model's context or the disk.
 *
 * @param maxReadBytes    read_file returns at most this much of a file
 * @param maxWriteBytes   write_file refuses larger content
 * @param maxListEntries  list_files stops after this many entries
 * @param maxSearchHits   search_code stops after this many matching lines
 * @param maxSearchFileBytes search_code skips larger files
 * @param maxDiffChars    git_diff cuts the diff here
 * @param maxLogChars     run_tests shows at most this much of the log tail
 */
public record CodingLimits(int maxReadBytes, int maxWriteBytes, int maxListEntries, int maxSearchHits,
                           int maxSearchFileBytes, int maxDiffChars, int maxLogChars) {

    public static final CodingLimits DEFAULTS =
            new CodingLimits(64 * 1024, 256 * 1024, 400, 100, 1024 * 1024, 20_000, 4_000);

    public CodingLimits {
        if (maxReadBytes < 1 || maxWriteBytes < 1 || maxListEntries < 1 || maxSearchHits < 1
                || maxSearchFileBytes < 1 || maxDiffChars < 1 || maxLogChars < 0) {
            throw new IllegalArgumentException("coding limits must be positive: " + this);
        }
    }
}
