package dev.quorum.repo;

import java.io.IOException;

/** The host does not have the commit asked for (after {@link RepoHost#refresh}): {@code commit <sha> not found in repo <name>}. */
public final class CommitNotFoundException extends IOException {
    public CommitNotFoundException(Sha commit, String repo) {
        super("commit " + commit.hex() + " not found in repo " + repo);
    }
}
