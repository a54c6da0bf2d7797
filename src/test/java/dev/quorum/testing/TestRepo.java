package dev.quorum.testing;

import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** A real git repository in a temporary folder, built with JGit, for tests. Not thread-safe. */
public final class TestRepo implements AutoCloseable {

    private static final PersonIdent AUTHOR = new PersonIdent("Test Author", "author@example.com",
            Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final Git git;
    private final Path dir;

    private TestRepo(Git git, Path dir) {
        this.git = git;
        this.dir = dir;
    }

    public static TestRepo init(Path dir) throws GitAPIException {
        return new TestRepo(Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call(), dir);
    }

    public Path dir() {
        return dir;
    }

    /** Writes the files (scripts ending in {@code .sh} executable), commits everything, returns the SHA. */
    public String commit(String message, Map<String, String> files) throws IOException, GitAPIException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
            if (file.getKey().endsWith(".sh")) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        git.add().addFilepattern(".").call();
        RevCommit commit = git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).call();
        return commit.name();
    }

    /** The SHA {@code branch} points at now (the test fails when there is no such branch). */
    public String head(String branch) throws IOException {
        return java.util.Objects.requireNonNull(git.getRepository().resolve("refs/heads/" + branch), "no branch " + branch).name();
    }

    /** This repository as Quorum's local host named {@code name} sees it. */
    public RepoHost host(String name) {
        return RepoHosts.local(name, dir);
    }

    public void branch(String name, String sha) throws GitAPIException {
        git.branchCreate().setName(name).setStartPoint(sha).setForce(true).call();
    }

    public void annotatedTag(String name, String message) throws GitAPIException {
        git.tag().setName(name).setMessage(message).setAnnotated(true).setTagger(AUTHOR).call();
    }

    /**
     * A bare copy of this repository at {@code target}, made by git itself: JGit's clone starts an
     * automatic gc in the background, which then fails on (and logs a stack trace about) the
     * temporary folder the test has already deleted.
     */
    public Path bareCopy(Path target) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "clone", "-q", "--bare", dir.toString(), target.toString())
                .redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes());
        if (git.waitFor() != 0) throw new IOException("git clone --bare failed: " + output);
        return target;
    }

    public Git git() {
        return git;
    }

    @Override
    public void close() {
        git.close();
    }
}
