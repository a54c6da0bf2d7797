package dev.quorum.repo.remote;

import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.dircache.DirCacheCheckout.CheckoutMetadata;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.CoreConfig.EolStreamType;
import org.eclipse.jgit.lib.CoreConfig.SymLinks;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.TreeWalk.OperationType;
import org.eclipse.jgit.treewalk.WorkingTreeOptions;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.RawParseUtils;
import org.eclipse.jgit.util.SystemReader;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes a tree into the empty working tree of a repository and its index, several files at once. JGit's own checkout
 * ({@link DirCacheCheckout}) writes one file at a time, each through a temporary file and a rename, and for a large
 * tree that is most of a verification: on two cores it takes two to three times what {@code git worktree add} takes
 * for 10,000 files. The files here are the same: each file's content goes through JGit's own {@link
 * DirCacheCheckout#getContent} (line endings and smudge filters from {@code .gitattributes} and the config, as JGit's
 * checkout applies them), executables, symbolic links and submodule folders are made as JGit makes them, and the index
 * records each file's length and time as read back from the disk.
 *
 * <p>Only for a folder that is empty: no file is replaced, and a file that exists is an error. Before anything is
 * written every path is checked as JGit's checkout checks it ({@code .git}, {@code ..}, and what the platform refuses),
 * and a tree whose file has the name of one of its folders is refused, so no symbolic link it makes can stand where a
 * later file is written through it: nothing is written outside the working tree.
 */
final class ParallelCheckout {
    /**
     * Measured on two cores (bench/README.md, remote): one writer takes half as long again as two, and two, four and eight
     * take the same; a few more than the cores, for when one of them waits on the disk.
     */
    private static final int WRITERS = Math.clamp(2L * Runtime.getRuntime().availableProcessors(), 2, 8);
    /** Below this many files a writer of its own is not worth a thread. */
    private static final int FILES_PER_WRITER = 128;

    private record Entry(String path, FileMode mode, ObjectId blob, CheckoutMetadata metadata, DirCacheEntry index) {}

    private ParallelCheckout() {}

    /** Writes {@code tree}'s files into {@code repository}'s (empty) working tree and makes its index match them. */
    static void write(Repository repository, RevTree tree) throws IOException {
        Map<String, Entry> byPath = entries(repository, tree);
        Set<String> folders = folders(byPath.keySet());
        for (String folder : folders) {
            if (byPath.containsKey(folder)) throw refused(folder, "the tree has a file and a folder of this name");
        }
        Path root = repository.getWorkTree().toPath();
        for (String folder : folders) Files.createDirectories(root.resolve(folder));
        List<Entry> entries = List.copyOf(byPath.values());
        Writer writer = new Writer(repository, entries);
        int writers = (int) Math.min(WRITERS, 1 + entries.size() / FILES_PER_WRITER);
        if (writers == 1) {
            writer.run();
        } else {
            inParallel(writer, writers);
        }
        DirCache index = repository.lockDirCache();
        try {
            DirCacheBuilder builder = index.builder();
            for (Entry entry : entries) builder.add(entry.index());
            builder.commit(); // writes the index and unlocks it; entries written in the same instant are smudged as racy
        } finally {
            index.unlock();
        }
    }

    /** Every file of the tree by its path, in index order, with the line-ending and filter rules its attributes give it. */
    private static Map<String, Entry> entries(Repository repository, RevTree tree) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (TreeWalk walk = new TreeWalk(repository)) {
            walk.setOperationType(OperationType.CHECKOUT_OP);
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                String path = walk.getPathString();
                checkPath(walk.getRawPath(), path);
                FileMode mode = walk.getFileMode(0);
                DirCacheEntry index = new DirCacheEntry(walk.getRawPath(), DirCacheEntry.STAGE_0);
                index.setFileMode(mode);
                index.setObjectId(walk.getObjectId(0));
                CheckoutMetadata metadata = new CheckoutMetadata(walk.getEolStreamType(OperationType.CHECKOUT_OP),
                        walk.getFilterCommand(Constants.ATTR_FILTER_TYPE_SMUDGE));
                if (entries.putIfAbsent(path, new Entry(path, mode, walk.getObjectId(0), metadata, index)) != null) {
                    throw refused(path, "the tree names it twice");
                }
            }
        }
        return entries;
    }

    private static void checkPath(byte[] raw, String path) throws IOException {
        try {
            SystemReader.getInstance().checkPath(raw);
        } catch (CorruptObjectException e) {
            throw refused(path, e.getMessage());
        }
    }

    private static IOException refused(String path, String why) {
        return new IOException("refused to check out '" + path + "': " + why);
    }

    /** The folders the files are in (parents before children), each once. */
    private static Set<String> folders(Collection<String> paths) {
        Set<String> folders = new LinkedHashSet<>();
        for (String path : paths) {
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                folders.add(path.substring(0, slash));
            }
        }
        return folders;
    }

    private static void inParallel(Writer writer, int writers) throws IOException {
        AtomicInteger named = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers, r -> {
            Thread thread = new Thread(r, "quorum-checkout-" + named.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        })) {
            List<Future<Void>> running = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                running.add(pool.submit(() -> {
                    writer.run();
                    return null;
                }));
            }
            try {
                for (Future<Void> one : running) one.get();
            } catch (InterruptedException e) {
                writer.stop(); // before the pool's close waits for the writers: each stops at its next file
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while checking out");
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            throw new IOException(e.getCause());
        }
    }

    /** Takes the next file not yet taken until none is left; any number of threads may run it at once. */
    private static final class Writer {
        private final Repository repository;
        private final List<Entry> entries;
        private final File root;
        private final FS fs;
        private final WorkingTreeOptions options;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicBoolean stopped = new AtomicBoolean();

        Writer(Repository repository, List<Entry> entries) {
            this.repository = repository;
            this.entries = entries;
            this.root = repository.getWorkTree();
            this.fs = repository.getFS();
            this.options = repository.getConfig().get(WorkingTreeOptions.KEY);
        }

        void stop() {
            stopped.set(true);
        }

        void run() throws IOException {
            try (ObjectReader reader = repository.newObjectReader()) {
                for (int i = next.getAndIncrement(); i < entries.size() && !stopped.get(); i = next.getAndIncrement()) {
                    write(entries.get(i), reader);
                }
            } catch (IOException | RuntimeException e) {
                stopped.set(true); // the others stop at their next file: the checkout failed
                throw e;
            }
        }

        /** As JGit's {@code Checkout.checkout} writes one entry, without the temporary file: nothing is in the way. */
        private void write(Entry entry, ObjectReader reader) throws IOException {
            File file = new File(root, entry.path());
            DirCacheEntry index = entry.index();
            if (entry.mode() == FileMode.GITLINK) {
                Files.createDirectory(file.toPath());
                index.setLastModified(fs.lastModifiedInstant(file));
                return;
            }
            ObjectLoader blob = reader.open(entry.blob(), Constants.OBJ_BLOB);
            if (entry.mode() == FileMode.SYMLINK && options.getSymLinks() == SymLinks.TRUE) {
                byte[] target = blob.getBytes();
                fs.createSymLink(file, RawParseUtils.decode(target));
                index.setLength(target.length);
                index.setLastModified(fs.lastModifiedInstant(file));
                return;
            }
            try (OutputStream out = Files.newOutputStream(file.toPath(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                DirCacheCheckout.getContent(repository, entry.path(), entry.metadata(), blob, options, out);
            }
            boolean filtered = entry.metadata().eolStreamType != EolStreamType.DIRECT || entry.metadata().smudgeFilterCommand != null;
            index.setLength(filtered ? Files.size(file.toPath()) : blob.getSize());
            if (entry.mode() == FileMode.EXECUTABLE_FILE && options.isFileMode() && fs.supportsExecute()) fs.setExecute(file, true);
            index.setLastModified(fs.lastModifiedInstant(file));
        }
    }
}
