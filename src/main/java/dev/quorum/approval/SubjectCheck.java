package dev.quorum.approval;

import dev.quorum.config.EnvironmentConfig;
import dev.quorum.config.QuorumConfig;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceStatus;
import dev.quorum.evidence.EvidenceStore;
import dev.quorum.repo.PullRequest;
import dev.quorum.repo.PullRequests;
import dev.quorum.repo.RefResolutionException;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import dev.quorum.request.Request;
import dev.quorum.request.RequestType;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Is the subject still what people are voting on? Checked before counting a vote and again
 * right before executing, under the target's lock. Stale when:
 * <ul>
 *   <li>a branch of the merge, or the ref of the deploy, moved;</li>
 *   <li>a pull request subject was closed or merged elsewhere, its head moved, or its base changed (its host is
 *       asked);</li>
 *   <li>a deploy's commit may no longer be shipped (SPEC §11): it is not on the repo's default
 *       branch any more (force-moved) and no ref allowed by the environment's {@code refs:}
 *       patterns points at it;</li>
 *   <li>the environment runs another commit than the votes saw (another deploy ran);</li>
 *   <li>the bound evidence record is gone or did not pass, or a run of the same commit stored
 *       after it <em>failed</em>.</li>
 * </ul>
 * A newer passing, cancelled, timed-out or errored run of the same commit voids nothing: anyone
 * may start a test, and a vote must not be voidable by someone who merely re-runs one.
 * Thread-safe; reads git and Redis.
 */
public final class SubjectCheck {
    /** What each environment runs now, as Quorum's last deploy there recorded it. */
    public interface Deployed {
        /** Empty when Quorum never deployed to the environment. */
        Optional<Deployment> now(String environment);
    }

    /** @param requestId the deploy request that put {@code sha} there; null when not recorded */
    public record Deployment(String sha, String requestId) {
        public Deployment {
            Objects.requireNonNull(sha, "sha");
        }
    }

    private final QuorumConfig config;
    private final RepoHosts hosts;
    private final EvidenceStore evidence;
    private final Deployed deployed;

    public SubjectCheck(QuorumConfig config, RepoHosts hosts, EvidenceStore evidence, Deployed deployed) {
        this.config = config;
        this.hosts = hosts;
        this.evidence = evidence;
        this.deployed = deployed;
    }

    /** Why the subject of request {@code r} is stale, or empty when it still holds; fetches the repository first. */
    public Optional<String> whyStale(Request r, Subject s) throws IOException {
        RepoHost host = hosts.get(s.repo());
        host.refresh();
        Optional<String> why = r.type() == RequestType.MERGE ? mergeMoved(host, s) : deployMoved(host, r.id(), s);
        return why.isPresent() ? why : whyEvidenceVoid(s.repo(), s.resultSha(), s.evidenceDigest());
    }

    private static Optional<String> mergeMoved(RepoHost host, Subject s) throws IOException {
        // a pull request's own state first: "merged elsewhere" says more than the base it moved
        Optional<String> moved = s.pullRequest() != null ? pullRequestMoved(host, s) : Optional.empty();
        if (moved.isPresent()) return moved;
        moved = branchMoved(host, s.target(), s.targetSha());
        return moved.isPresent() || s.pullRequest() != null ? moved : branchMoved(host, s.source(), s.sourceSha());
    }

    /**
     * A pull request subject, as its host reports it now: still open (not closed, not merged elsewhere), its head still
     * the commit the votes saw (a fork's head is no branch of this repo: only the host knows it), its base still the
     * target. Its host could not be asked → an {@link IOException}: nothing is decided on a guess.
     */
    private static Optional<String> pullRequestMoved(RepoHost host, Subject s) throws IOException {
        String shown = "pull request #" + s.pullRequest();
        Optional<PullRequests> pulls = host.pullRequests();
        if (pulls.isEmpty()) return Optional.of("repo " + s.repo() + " has no pull requests any more, so " + shown + " cannot be checked");
        PullRequest now;
        try {
            now = pulls.get().find(s.pullRequest());
        } catch (RefResolutionException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (now.merged()) return Optional.of(shown + " was merged elsewhere");
        if (!now.open()) return Optional.of(shown + " was closed");
        if (!now.headSha().hex().equals(s.sourceSha())) {
            return Optional.of("the head of " + shown + " moved from " + shortSha(s.sourceSha()) + " to " + now.headSha().abbrev());
        }
        if (!now.baseRef().equals(s.target())) {
            return Optional.of("the base of " + shown + " changed from `" + s.target() + "` to `" + now.baseRef() + "`");
        }
        return Optional.empty();
    }

    private Optional<String> deployMoved(RepoHost host, String requestId, Subject s) throws IOException {
        try {
            Sha now = host.resolve(s.source());
            if (!now.hex().equals(s.sourceSha())) {
                return Optional.of("`" + s.source() + "` moved from " + shortSha(s.sourceSha()) + " to " + now.abbrev());
            }
        } catch (RefResolutionException e) {
            return Optional.of("`" + s.source() + "` no longer resolves: " + e.getMessage());
        }
        Optional<String> unshippable = whyNotShippable(config, host, s.target(), s.source(), new Sha(s.resultSha()));
        if (unshippable.isPresent()) return unshippable;
        Optional<Deployment> running = deployed.now(s.target());
        String runs = running.map(Deployment::sha).orElse(null);
        if (Objects.equals(runs, s.targetSha())) return Optional.empty();
        // Its own deploy, recorded before Quorum stopped: the executor's at-most-once record answers that, not staleness
        if (running.isPresent() && requestId.equals(running.get().requestId())) return Optional.empty();
        if (running.isEmpty()) {
            return Optional.of("Quorum no longer knows what " + s.target() + " runs; the votes saw " + shortSha(s.targetSha()));
        }
        String now = s.target() + " now runs " + shortSha(runs)
                + (running.get().requestId() == null ? "" : " (deployed by " + running.get().requestId() + ")");
        return Optional.of(s.targetSha() == null ? now + "; the votes saw nothing deployed there yet"
                : now + ", not " + shortSha(s.targetSha()) + " which the votes saw");
    }

    /**
     * Why {@code environment} may not ship {@code sha}, which the user named {@code ref}; empty
     * when it may (SPEC §11): the commit is on the repo's default branch, or {@code ref} is a ref
     * matching one of the environment's {@code refs:} patterns and points at {@code sha}.
     */
    public static Optional<String> whyNotShippable(QuorumConfig config, RepoHost host, String environment, String ref, Sha sha)
            throws IOException {
        EnvironmentConfig env = config.environments().get(environment);
        if (env == null) return Optional.of("environment " + environment + " is no longer configured");
        String main = config.repos().get(host.name()).defaultBranch();
        if (host.isOnBranch(sha, main)) return Optional.empty();
        Optional<RepoHost.NamedRef> named = host.findRef(ref);
        if (named.isPresent() && named.get().commit().equals(sha) && allowedByPattern(env, named.get().name())) return Optional.empty();
        String patterns = env.refs().isEmpty() ? "" : " or a ref matching " + String.join(", ", env.refs());
        boolean typedSha = sha.hex().startsWith(ref.toLowerCase(Locale.ROOT));
        return Optional.of(sha.abbrev() + (typedSha ? "" : " (`" + ref + "`)") + " is not on `" + main + "`, and "
                + environment + " ships only commits on `" + main + "`" + patterns);
    }

    private static boolean allowedByPattern(EnvironmentConfig env, String fullRefName) {
        Path name = Path.of(fullRefName);
        return env.refs().stream().anyMatch(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(name));
    }

    /**
     * The evidence rule: a vote's evidence holds while its record exists, is a passing run of the
     * commit, and no run of the same commit stored after it failed. Empty when it holds.
     */
    public Optional<String> whyEvidenceVoid(String repo, String commit, String digest) {
        String shown = digest.substring(0, Math.min(8, digest.length()));
        Optional<EvidenceRecord> bound = evidence.find(digest);
        if (bound.isEmpty()) return Optional.of("its evidence " + shown + " is gone");
        EvidenceRecord r = bound.get();
        if (r.status() != EvidenceStatus.PASSED || !r.commit().equals(commit) || !r.repo().equals(repo)) {
            return Optional.of("its evidence " + shown + " is not a passing run of " + shortSha(commit));
        }
        return evidence.since(repo, commit, digest).stream().filter(later -> later.status() == EvidenceStatus.FAILED).findFirst()
                .map(failed -> "a newer test run of " + shortSha(commit) + " failed (evidence " + failed.shortDigest() + ")");
    }

    private static Optional<String> branchMoved(RepoHost host, String branch, String expected) throws IOException {
        Optional<Sha> head = host.head(branch);
        if (head.isEmpty()) return Optional.of("`" + branch + "` no longer exists");
        if (!head.get().hex().equals(expected)) {
            return Optional.of("`" + branch + "` moved from " + shortSha(expected) + " to " + head.get().abbrev());
        }
        return Optional.empty();
    }

    static String shortSha(String sha) {
        return sha == null ? "?" : Sha.abbrev(sha);
    }
}
