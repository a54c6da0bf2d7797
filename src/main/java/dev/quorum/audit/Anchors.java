package dev.quorum.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Quorum instance's anchor file, {@code <data>/audit/anchors}: append-only text, one sealed
 * line per append batch naming how many entries the chain had and the hash of the last one, so
 * the chain in Redis can be checked against something Redis cannot change. The first line says
 * from which entry on every entry must be sealed. Lines look like
 * <pre>
 * begin 41 41 new-key 2026-11-26T10:00:00Z &lt;seal&gt;
 * anchor 57 &lt;hash of entry 57&gt; 2026-11-26T10:00:01Z &lt;seal&gt;
 * </pre>
 * Writes are not synced: a machine crash may lose the newest lines, never invent one.
 * Not thread-safe: the audit log writes from one thread at a time; reading is safe any time.
 */
final class Anchors {
    private static final Logger LOG = LoggerFactory.getLogger(Anchors.class);
    /** How many anchors' hashes {@link #read} keeps to compare with the chain, so memory stays bounded on a years-long file. */
    static final int KEPT = 100_000;

    /** How the file came to be; said in {@code audit verify}'s notes. */
    enum Origin {
        /** Made with the seal key: the file covers the chain from where keying began. */
        NEW_KEY("new-key"),
        /** Made at a start when the key already existed: a second instance, or the earlier file was deleted. */
        EXISTING_KEY("existing-key"),
        /** Made again by a running instance after the file disappeared. */
        RECREATED("recreated");

        final String wire;

        Origin(String wire) {
            this.wire = wire;
        }

        static Origin of(String wire) {
            for (Origin o : values()) if (o.wire.equals(wire)) return o;
            throw new IllegalArgumentException("unknown origin " + wire);
        }
    }

    /**
     * The first line.
     *
     * @param keyedAfter entries up to this one were written before keying began and may be unsealed
     * @param startsAt   how many entries the chain had when the file was started
     */
    record Begin(long keyedAfter, long startsAt, Origin origin, Instant at) {}

    /** What the file holds, as far as its seals hold. */
    sealed interface Contents {
        record Missing() implements Contents {}

        /**
         * @param begin   the first line, or {@code null} when it is not a sealed begin line
         * @param hashAt  the newest sealed anchors (at most {@link #KEPT}): entry count to the hash of that entry
         * @param highest the largest count anchored (0 for none)
         * @param anchors how many sealed anchor lines there are
         * @param problem the first line that is not sealed by the key, or {@code null}
         * @param torn    the last line does not verify (cut short by a crash, or being written) and is ignored
         */
        record Found(Begin begin, Map<Long, String> hashAt, long highest, long anchors, String problem, boolean torn) implements Contents {}
    }

    private final Path file;
    private final SealKey key;
    private long keyedAfter; // for starting the file again
    private String lastAnchor; // the newest line this instance wrote, or null
    private long lastCount;

    Anchors(Path file, SealKey key) {
        this.file = file;
        this.key = key;
    }

    static Path file(Path dataDir) {
        return dataDir.resolve("audit").resolve("anchors");
    }

    Path path() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    /** Starts the file (unless another process just did) and remembers where keying began. */
    void begin(long keyedAfter, long startsAt, Origin origin, Instant at) throws IOException {
        this.keyedAfter = keyedAfter;
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        }
        try {
            Files.writeString(file, sealed("begin " + keyedAfter + " " + startsAt + " " + origin.wire + " " + at),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException startedMeanwhile) {
            // another process sharing this data folder began it
        }
    }

    /** Remembers where keying began, from the first line of the file that exists (0 when it cannot be read). */
    void resume() throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Begin begin = parseBegin(in.readLine());
            keyedAfter = begin == null ? 0 : begin.keyedAfter();
        }
    }

    /**
     * Appends an anchor. Failing to write is logged, not thrown: the entries are in Redis already.
     * When the file has disappeared it is started again, with the newest anchor this instance
     * remembers, so a tail deleted since is still detected.
     */
    void record(long count, String hash, Instant at) {
        String line = sealed("anchor " + count + " " + hash + " " + at);
        try {
            try {
                Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (NoSuchFileException gone) {
                LOG.error("The audit anchor file {} disappeared: starting it again at entry {}{}", file, lastCount,
                        lastAnchor == null ? "" : " with the last anchor this instance remembers");
                begin(keyedAfter, lastCount, Origin.RECREATED, at);
                Files.writeString(file, (lastAnchor == null ? "" : lastAnchor) + line, StandardCharsets.UTF_8,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            }
        } catch (IOException e) {
            LOG.error("Could not write the audit anchor for entry {} to {}: {}", count, file, e.toString());
        }
        lastAnchor = line;
        lastCount = count;
    }

    /**
     * Reads and checks every line. A last line that does not verify is taken for one cut short by
     * a crash (or being written right now) and ignored: removing it would hide no more.
     */
    Contents read() throws IOException {
        if (!Files.exists(file)) return new Contents.Missing();
        Begin begin = null;
        Map<Long, String> hashAt = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
                return size() > KEPT; // the newest positions matter most; the count of lines is kept anyway
            }
        };
        long highest = 0;
        long anchors = 0;
        String problem = null;
        boolean torn = false;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int n = 0;
            String next = in.readLine();
            while (next != null) {
                String line = next;
                next = in.readLine();
                n++;
                if (n == 1 && (begin = parseBegin(line)) != null) continue;
                Anchor anchor = n > 1 ? parseAnchor(line) : null;
                if (anchor != null) {
                    String earlier = hashAt.putIfAbsent(anchor.count(), anchor.hash());
                    if (earlier != null && !earlier.equals(anchor.hash()) && problem == null) {
                        problem = "lines of the anchor file " + file + " name two different hashes for entry " + anchor.count()
                                + " (the chain in Redis was replaced while this file was kept)";
                    }
                    highest = Math.max(highest, anchor.count());
                    anchors++;
                } else if (next == null && n > 1) {
                    torn = true;
                } else if (problem == null) {
                    problem = n == 1 ? "the anchor file " + file + " does not start with its sealed begin line (its start was removed or it was replaced)"
                            : "line " + n + " of the anchor file " + file + " is not sealed by this key (the file was edited)";
                }
            }
        }
        return new Contents.Found(begin, hashAt, highest, anchors, problem, torn);
    }

    private record Anchor(long count, String hash) {}

    private Anchor parseAnchor(String line) {
        String[] f = sealedFields(line);
        if (f == null || f.length != 5 || !f[0].equals("anchor")) return null;
        try {
            return new Anchor(Long.parseLong(f[1]), f[2]);
        } catch (NumberFormatException malformed) {
            return null; // a sealed line this version cannot read counts as not sealed
        }
    }

    /** The first line as a begin line, or {@code null} when it is not a sealed one. */
    private Begin parseBegin(String line) {
        String[] f = line == null ? null : sealedFields(line);
        if (f == null || f.length != 6 || !f[0].equals("begin")) return null;
        try {
            return new Begin(Long.parseLong(f[1]), Long.parseLong(f[2]), Origin.of(f[3]), Instant.parse(f[4]));
        } catch (IllegalArgumentException | DateTimeParseException malformed) {
            return null; // a sealed line this version cannot read counts as not sealed
        }
    }

    /** The line's fields when its last one is the key's seal of the rest, else {@code null}. */
    private String[] sealedFields(String line) {
        int cut = line.lastIndexOf(' ');
        if (cut < 0 || !key.verifies(SealKey.Purpose.AUDIT_ANCHOR, line.substring(0, cut), line.substring(cut + 1))) return null;
        return line.split(" ");
    }

    private String sealed(String text) {
        return text + " " + key.seal(SealKey.Purpose.AUDIT_ANCHOR, text) + "\n";
    }
}
