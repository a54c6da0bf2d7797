package dev.quorum.repo;

import dev.quorum.repo.Sha;

/** What landing a pull request through its host's merge API with an expected head did (GitHub: {@code PUT /repos/{o}/{r}/pulls/{n}/merge} with {@code sha}). */
public sealed interface MergeOutcome {
    /** Landed; {@code sha} is the commit the base branch now points to. */
    record Merged(Sha sha) implements MergeOutcome {}

    /** 409: the head is no longer the SHA the votes saw; nothing landed. */
    record HeadMoved(String message) implements MergeOutcome {}

    /** 405: closed, a draft, in conflict, or refused by branch protection; nothing landed. */
    record NotMergeable(String message) implements MergeOutcome {}
}
