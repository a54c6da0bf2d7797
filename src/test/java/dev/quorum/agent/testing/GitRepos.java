package dev.quorum.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** Real git repositories in temp folders, made with JGit. */
public final class GitRepos {

    private GitRepos() {
    }

    /**
     * A repository with {@code files} committed on {@code main} and a branch {@code quorum/<id>} checked out.
     *
     * @return the SHA of the commit on main
     */
    public static String createWithBranch(Path dir, Map<String, String> files, String branch)
            throws IOException, GitAPIException {
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = dir.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            git.add().addFilepattern(".").call();
            PersonIdent alice = new PersonIdent("Alice", "alice@example.com");
            String sha = git.commit().setMessage("initial").setAuthor(alice).setCommitter(alice).setSign(false)
                    .call().name();
            git.checkout().setCreateBranch(true).setName(branch).call();
            return sha;
        }
    }
}
