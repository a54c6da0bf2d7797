package dev.quorum.repo;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Creates the demo repository from files shipped in Quorum's jar: a bare git repository with a
 * {@code main} branch (a tiny Maven project with JUnit tests and {@code scripts/deploy.sh}) and a
 * branch {@code feature/greeting} that adds a tested change. Authors and dates are fixed, so every
 * installation gets the same commit SHAs.
 */
public final class DemoRepository {
    private static final Logger LOG = LoggerFactory.getLogger(DemoRepository.class);
    private static final String ROOT = "/demo-repo/";
    private static final PersonIdent AUTHOR = new PersonIdent("Quorum Demo", "demo@quorum.dev",
            Instant.parse("2026-01-05T09:00:00Z"), ZoneOffset.UTC);
    private static final PersonIdent FEATURE_AUTHOR = new PersonIdent("Quorum Demo", "demo@quorum.dev",
            Instant.parse("2026-01-06T09:00:00Z"), ZoneOffset.UTC);

    private DemoRepository() {}

    /** Creates the repository at {@code target} unless something is already there; returns true if it did. */
    public static boolean createIfMissing(Path target) throws IOException {
        if (Files.exists(target)) return false;
        Path work = Files.createTempDirectory("quorum-demo-");
        try {
            List<String> files = index();
            try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
                copy(files, "main/", work);
                commit(git, "Greeter: greet people by name, with tests", AUTHOR);
                git.checkout().setCreateBranch(true).setName("feature/greeting").call();
                copy(files, "greeting/", work);
                commit(git, "Friendlier greeting and a farewell, with tests", FEATURE_AUTHOR);
                git.checkout().setName("main").call();
            }
            Files.createDirectories(target.getParent());
            Git.cloneRepository().setBare(true).setCloneAllBranches(true)
                    .setURI(work.toUri().toString()).setDirectory(target.toFile()).call().close();
            LOG.info("Created the demo repository at {} (branches main and feature/greeting)", target);
            return true;
        } catch (GitAPIException e) {
            throw new IOException("could not create the demo repository at " + target + ": " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    private static void commit(Git git, String message, PersonIdent who) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
    }

    private static List<String> index() throws IOException {
        try (InputStream in = resource("files.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        }
    }

    private static void copy(List<String> files, String layer, Path work) throws IOException {
        for (String f : files) {
            if (!f.startsWith(layer)) continue;
            Path dest = work.resolve(f.substring(layer.length()));
            Files.createDirectories(dest.getParent());
            try (InputStream in = resource(f)) {
                Files.copy(in, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            if (f.endsWith(".sh")) Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = DemoRepository.class.getResourceAsStream(ROOT + name);
        if (in == null) throw new IOException("missing demo file " + ROOT + name + " in Quorum's jar");
        return in;
    }

    private static void deleteTree(Path dir) {
        try {
            FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING | FileUtils.RETRY);
        } catch (IOException e) {
            LOG.debug("Could not remove {}: {}", dir, e.toString()); // a temp folder: harmless to leave
        }
    }
}
