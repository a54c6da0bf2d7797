package dev.quorum.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Quorum's copy of one repository's dependency caches, under {@code data/caches/<repo>}. Every run
 * sees it read-only (as the lower layer of an overlay whose writable upper layer is the run's own
 * and is thrown away); what a <em>trusted</em> run (a commit on the default branch) downloaded into
 * its upper layer is added here afterwards. Adding never replaces or deletes a file, so no run can
 * change what a later run gets for a file already cached. Thread-safe; across Quorum processes on
 * the same data folder, additions are serialised by a file lock.
 */
final class CacheStore {
    private static final Logger LOG = LoggerFactory.getLogger(CacheStore.class);
    /** More than this from one run is not kept: a trusted run is not expected to download the world. */
    static final long MAX_ADDED_BYTES = 4L << 30;
    private static final String WARMED = ".quorum-warmed";

    private final Path root;
    private final List<CacheFolder> folders;
    private final ReentrantLock local = new ReentrantLock();

    CacheStore(Path root, List<CacheFolder> folders) {
        this.root = root;
        this.folders = List.copyOf(folders);
    }

    List<CacheFolder> folders() {
        return folders;
    }

    /** Creates the store's folders, so that they can be mounted. */
    void ensureExists() throws IOException {
        for (CacheFolder folder : folders) Files.createDirectories(folder.store());
    }

    /** Whether a trusted run has filled the cache at least once. */
    boolean warmed() {
        return folders.isEmpty() || Files.exists(root.resolve(WARMED));
    }

    void markWarmed() {
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve(WARMED), "warmed by a run of the default branch\n");
        } catch (IOException e) {
            LOG.warn("Could not mark the cache at {} warm: {}", root, e.toString());
        }
    }

    /**
     * Adds what the upper layers of a trusted run hold and the store lacks. Failures are logged, not
     * thrown: a cache that stays cold costs time, never correctness.
     *
     * @param uppers one upper layer per {@link #folders()} entry, in the same order
     */
    void addFrom(List<Path> uppers) {
        local.lock();
        try {
            Files.createDirectories(root);
            try (FileChannel channel = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock(); // released with the channel
                long[] budget = {MAX_ADDED_BYTES};
                for (int i = 0; i < folders.size() && i < uppers.size() && lock.isValid(); i++) {
                    if (Files.isDirectory(uppers.get(i))) add(uppers.get(i), folders.get(i).store(), budget);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not add to the cache at {}: {}", root, e.toString());
        } finally {
            local.unlock();
        }
    }

    private static void add(Path upper, Path store, long[] budget) throws IOException {
        Files.walkFileTree(upper, new SimpleFileVisitor<>() { // links are not followed
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(store.resolve(upper.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = store.resolve(upper.relativize(file).toString());
                if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return FileVisitResult.CONTINUE;
                if (attrs.isSymbolicLink()) {
                    createIfAbsent(() -> Files.createSymbolicLink(target, Files.readSymbolicLink(file)));
                } else if (attrs.isRegularFile()) { // whiteouts (character devices) and the like stay behind
                    if ((budget[0] -= attrs.size()) < 0) {
                        LOG.warn("A trusted run added more than {} bytes to the cache at {}; the rest is not kept", MAX_ADDED_BYTES, store);
                        return FileVisitResult.TERMINATE;
                    }
                    Path part = target.resolveSibling(".quorum-" + UUID.randomUUID() + ".part");
                    Files.copy(file, part, StandardCopyOption.COPY_ATTRIBUTES);
                    createIfAbsent(() -> Files.createLink(target, part)); // link(2) never replaces, unlike rename(2)
                    Files.deleteIfExists(part);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private interface Creation {
        void run() throws IOException;
    }

    /** Another process may have added the same file meanwhile; the first one stays. */
    private static void createIfAbsent(Creation creation) throws IOException {
        try {
            creation.run();
        } catch (FileAlreadyExistsException e) {
            // kept as it is: additions never replace
        }
    }
}
