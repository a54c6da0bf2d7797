package dev.quorum.agent.work;

import dev.quorum.agent.search.KnowledgeFolder;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.Sha;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of each configured repository's default branch, copied into a folder of their own so that research can
 * search and read them like any other knowledge folder, whether the repository is bare (the demo) or not. Hidden
 * files ({@code .env}, {@code .github/...}) and files over the size limit are left out.
 *
 * <p>{@link #refresh} brings a copy up to date when the branch moved: changed files are rewritten and removed ones
 * deleted in place, so searches meanwhile find the old or the new file, never nothing; the docs index then notices
 * the changed files itself. Thread-safe: one refresh at a time. A repository that cannot be read is logged and skipped.
 */
public final class RepoSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(RepoSnapshots.class);
    /** Holds the commit a copy was made from; hidden, so the index and research never see it. */
    private static final String STAMP = ".quorum-commit";

    /** @param dir the repository; @param branch the branch copied */
    public record Source(RepoHost host, String branch) {}

    private final Map<String, Source> repos;
    private final Path root;
    private final long maxFileBytes;
    private final ReentrantLock lock = new ReentrantLock();

    /** @param repos repository name to where it is; each is copied to {@code root/<name>} */
    public RepoSnapshots(Map<String, Source> repos, Path root, long maxFileBytes) {
        this.repos = Map.copyOf(repos);
        this.root = root;
        this.maxFileBytes = maxFileBytes;
    }

    /** One knowledge folder per repository, named like it. */
    public List<KnowledgeFolder> folders() {
        return repos.keySet().stream().sorted().map(name -> new KnowledgeFolder(name, root.resolve(name))).toList();
    }

    /** Copies every repository whose branch moved since its last copy. */
    public void refresh() {
        lock.lock();
        try {
            repos.forEach((name, source) -> {
                try {
                    refresh(root.resolve(name), source);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Could not copy the files of repo {} for research: {}", name, e.toString());
                }
            });
        } finally {
            lock.unlock();
        }
    }

    private void refresh(Path copy, Source source) throws IOException {
        source.host().refresh();
        Optional<Sha> head = source.host().head(source.branch());
        if (head.isEmpty()) {
            return; // an empty repository: nothing to read yet
        }
        Path stamp = copy.resolve(STAMP);
        if (Files.isRegularFile(stamp) && Files.readString(stamp).strip().equals(head.get().hex())) {
            return;
        }
        Files.createDirectories(copy);
        Set<Path> written = new HashSet<>();
        written.add(stamp);
        source.host().files(head.get(), (path, size, contents) -> {
            if (size > maxFileBytes || isHidden(path)) return;
            Path file = copy.resolve(path);
            byte[] bytes = contents.read();
            if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), bytes)) {
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
            }
            written.add(file);
        });
        deleteAllBut(copy, written);
        Files.writeString(stamp, head.get().hex());
    }

    /** Hidden files, and everything in hidden folders ({@code .env}, {@code .github/...}), are left out. */
    private static boolean isHidden(String path) {
        for (String part : path.split("/")) {
            if (part.startsWith(".")) return true;
        }
        return false;
    }

    private static void deleteAllBut(Path copy, Set<Path> keep) throws IOException {
        Files.walkFileTree(copy, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!keep.contains(file)) Files.delete(file);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
