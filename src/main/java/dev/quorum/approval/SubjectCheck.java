package dev.quorum.approval;

import dev.quorum.config.QuorumConfig;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceStore;
import dev.quorum.evidence.RefResolutionException;
import dev.quorum.evidence.RefResolver;
import dev.quorum.repo.GitRepos;
import dev.quorum.request.RequestType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Is the subject still what people are voting on? Checked before counting a vote and again
 * right before executing: a branch that moved, or evidence that changed, makes it stale.
 * Thread-safe; reads git and Redis.
 */
public final class SubjectCheck {
    private final QuorumConfig config;
    private final EvidenceStore evidence;

    public SubjectCheck(QuorumConfig config, EvidenceStore evidence) {
        this.config = config;
        this.evidence = evidence;
    }

    /** Why the subject is stale, or empty when it still holds. */
    public Optional<String> whyStale(RequestType type, Subject s) throws IOException {
        Path dir = config.repoDir(s.repo()).toAbsolutePath();
        if (type == RequestType.MERGE) {
            Optional<String> moved = branchMoved(dir, s.target(), s.targetSha());
            if (moved.isPresent()) return moved;
            moved = branchMoved(dir, s.source(), s.sourceSha());
            if (moved.isPresent()) return moved;
        } else {
            try {
                String now = RefResolver.resolve(s.repo(), dir, s.source());
                if (!now.equals(s.sourceSha())) {
                    return Optional.of("`" + s.source() + "` moved from " + shortSha(s.sourceSha()) + " to " + shortSha(now));
                }
            } catch (RefResolutionException e) {
                return Optional.of("`" + s.source() + "` no longer resolves: " + e.getMessage());
            }
        }
        Optional<EvidenceRecord> latest = evidence.latest(s.repo(), s.resultSha());
        if (latest.isEmpty() || !latest.get().digest().equals(s.evidenceDigest())) {
            return Optional.of("the evidence for " + shortSha(s.resultSha()) + " changed"
                    + latest.map(r -> " (now " + r.status().wireName() + ", evidence " + r.shortDigest() + ")").orElse(""));
        }
        return Optional.empty();
    }

    private static Optional<String> branchMoved(Path dir, String branch, String expected) throws IOException {
        Optional<String> head = GitRepos.head(dir, branch);
        if (head.isEmpty()) return Optional.of("`" + branch + "` no longer exists");
        if (!head.get().equals(expected)) {
            return Optional.of("`" + branch + "` moved from " + shortSha(expected) + " to " + shortSha(head.get()));
        }
        return Optional.empty();
    }

    static String shortSha(String sha) {
        return sha == null ? "?" : sha.substring(0, Math.min(7, sha.length()));
    }
}
