package dev.quorum.agent.search;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What the docs index takes in, and how often it looks for changes.
 *
 * @param extensions     file extensions indexed (lower case, no dot); files named README, CHANGELOG and the like
 *                       without extension are indexed too
 * @param maxFileBytes   larger files are skipped
 * @param passageChars   files are cut into passages of about this many characters
 * @param rescanInterval a search rescans the folders (mtime and size of each file) when the last scan is older than
 *                       this; {@link Duration#ZERO} rescans before every search
 * @param hybrid         re-rank BM25's candidates by meaning with {@link EmbeddingReranker}; needs a build with the
 *                       {@code embeddings} profile, else searching stays lexical (and says so in the log)
 */
public record IndexSettings(Set<String> extensions, long maxFileBytes, int passageChars, Duration rescanInterval,
                            boolean hybrid) {

    public static final Set<String> TEXT_EXTENSIONS = Set.of(
            "md", "markdown", "txt", "rst", "adoc", "org", "html", "htm",
            "java", "kt", "scala", "groovy", "py", "js", "ts", "go", "rs", "c", "h", "cpp", "hpp", "cs", "rb",
            "sh", "sql", "yaml", "yml", "json", "toml", "xml", "properties", "gradle", "csv");

    public static final IndexSettings DEFAULTS =
            new IndexSettings(TEXT_EXTENSIONS, 1024 * 1024, 1_500, Duration.ofSeconds(10), false);

    public IndexSettings {
        extensions = Set.copyOf(extensions);
        if (maxFileBytes < 1 || passageChars < 100) {
            throw new IllegalArgumentException("index limits too small: maxFileBytes=" + maxFileBytes
                    + ", passageChars=" + passageChars);
        }
        Objects.requireNonNull(rescanInterval, "rescanInterval");
    }

    public IndexSettings withRescanInterval(Duration interval) {
        return new IndexSettings(extensions, maxFileBytes, passageChars, interval, hybrid);
    }

    public IndexSettings withHybrid(boolean on) {
        return new IndexSettings(extensions, maxFileBytes, passageChars, rescanInterval, on);
    }
}
