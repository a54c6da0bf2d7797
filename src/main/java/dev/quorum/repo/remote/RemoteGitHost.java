package dev.quorum.repo.remote;

import dev.quorum.config.QuorumConfig;
import dev.quorum.config.RepoConfig;
import dev.quorum.repo.Diff;
import dev.quorum.repo.DiffStat;
import dev.quorum.repo.MergePlan;
import dev.quorum.repo.PullRequests;
import dev.quorum.repo.RefName;
import dev.quorum.repo.RefResolutionException;
import dev.quorum.repo.RepoHost;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A repository on a git server ({@code repos.<name>.url}, https or ssh): Quorum reads a bare mirror of it under
 * {@code data/mirrors/<name>.git}, which {@link #refresh} fetches (one fetch at a time per mirror), and moves the
 * server's branches only by pushing. Landing a merge is a non-force push of the tested result with the commit the
 * votes saw as the expected old value, so a push to the branch after the votes makes the server refuse it and the
 * request ends {@code stale}, exactly as a lost compare-and-set on a local repository does.
 *
 * <p>Reads (resolve, heads, merge plans, diffs, checkouts) are the local host's, on the mirror: one implementation of
 * the ref grammar and the merge for both. Thread-safe.
 */
public final class RemoteGitHost implements RepoHost {
    /** How long one fetch or push may go without progress before it fails. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Mirror mirror;
    private final RepoHost reads;
    private final PullRequests pullRequests;

    RemoteGitHost(String name, String url, String credentials, Path mirrorDir, Map<String, String> environment, Duration timeout)
            throws IOException {
        this(name, configured(url, credentials, environment), mirrorDir, timeout, host -> null);
    }

    RemoteGitHost(String name, Upstream upstream, Path mirrorDir, Duration timeout, Function<RemoteGitHost, PullRequests> pullRequests)
            throws IOException {
        this.name = Objects.requireNonNull(name, "name");
        this.mirror = new Mirror(name, upstream, mirrorDir.toAbsolutePath(), timeout);
        mirror.open().close(); // the mirror exists (empty until the first fetch), so reads never fail on a missing folder
        this.reads = RepoHosts.local(name, mirror.dir());
        this.pullRequests = pullRequests.apply(this);
    }

    /**
     * The host of the repository {@code upstream} names, mirrored at {@code mirrorDir}, whose server also has pull requests
     * (GitHub): the upstream tells the git address and a short-lived login, asked for each fetch and push.
     *
     * @param pullRequests the server's pull requests, given this host to fetch their heads into ({@link #fetchRef})
     */
    public static RemoteGitHost open(String name, Upstream upstream, Path mirrorDir, Function<RemoteGitHost, PullRequests> pullRequests)
            throws IOException {
        return new RemoteGitHost(name, upstream, mirrorDir, TIMEOUT, Objects.requireNonNull(pullRequests, "pullRequests"));
    }

    /**
     * The fixed address {@code url} with the secret {@code credentials} refers to ({@code env:NAME}, {@code file:/path},
     * or {@code null}), read from {@code environment} for each fetch and push: {@code repos.<name>.url}.
     *
     * @throws IllegalArgumentException when {@code url} is no address Quorum uses ({@link RemoteAddress})
     */
    public static Upstream configured(String url, String credentials, Map<String, String> environment) {
        return new ConfiguredUpstream(url, new Credentials(credentials, environment));
    }

    /** The pull requests given to {@link #open(String, Upstream, Path, Function)}; none for a plain git server. */
    @Override
    public Optional<PullRequests> pullRequests() {
        return Optional.ofNullable(pullRequests);
    }

    /**
     * The host of the repository at {@code url}, mirrored at {@code mirrorDir}.
     *
     * @param credentials {@code env:NAME}, {@code file:/path} or {@code null} (a public repository)
     * @param environment where {@code env:NAME} is looked up
     */
    public static RemoteGitHost open(String name, String url, String credentials, Path mirrorDir, Map<String, String> environment)
            throws IOException {
        return new RemoteGitHost(name, url, credentials, mirrorDir, environment, TIMEOUT);
    }

    /**
     * The host of {@code repos.<name>} (which has a {@code url}), its credentials read from this process's environment.
     *
     * @throws UncheckedIOException when the mirror cannot be created in the data folder (Quorum does not start)
     */
    public static RemoteGitHost of(QuorumConfig config, String name) {
        RepoConfig repo = config.repos().get(name);
        try {
            return open(name, repo.url(), repo.credentials(), mirrorDir(config, name), System.getenv());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the mirror of repo " + name + " in " + mirrorDir(config, name), e);
        }
    }

    /** Where the mirror of {@code repos.<name>} lives: {@code <data>/mirrors/<name>.git}. */
    public static Path mirrorDir(QuorumConfig config, String name) {
        return config.dataDir().resolve("mirrors").resolve(name + ".git");
    }

    @Override
    public String name() {
        return name;
    }

    /** Fetches the server's branches and tags into the mirror. Errors name the repo and address, never the secret. */
    @Override
    public void refresh() throws IOException {
        mirror.fetch();
    }

    /**
     * Fetches the server's ref {@code remote} (not a branch or tag: e.g. GitHub's {@code refs/pull/7/head}, which holds a
     * fork's commits too) into the mirror as Quorum's own {@code local} ({@code refs/quorum/...}), which {@link #refresh}
     * never prunes, so planning and checking out can read its commit.
     *
     * @return the commit it points at
     * @throws IllegalArgumentException when {@code local} is not under {@code refs/quorum/}
     */
    public Sha fetchRef(String remote, String local) throws IOException {
        return new Sha(mirror.fetchRef(remote, local).name());
    }

    @Override
    public Sha resolve(String ref) throws RefResolutionException {
        return reads.resolve(ref);
    }

    @Override
    public Optional<Sha> head(String branch) throws IOException {
        return reads.head(branch);
    }

    @Override
    public Optional<NamedRef> findRef(String ref) throws IOException {
        return reads.findRef(ref);
    }

    @Override
    public List<String> refNames(boolean withTags) throws IOException {
        return reads.refNames(withTags);
    }

    @Override
    public boolean isOnBranch(Sha commit, String branch) throws IOException {
        return reads.isOnBranch(commit, branch);
    }

    /** Plans in the mirror: the merge commit is written and pinned there (pins are Quorum's own, never fetched over). */
    @Override
    public MergePlan planMerge(Sha target, Sha source, boolean fastForwardAllowed, String message, String pinRef, Instant now)
            throws IOException {
        return reads.planMerge(target, source, fastForwardAllowed, message, pinRef, now);
    }

    /**
     * Pushes {@code next} from the mirror to the server's {@code branch}, not forced, expecting the server's branch at
     * {@code expected}. The server refusing it (its branch moved, or not a fast-forward) is {@link Move#MOVED_ELSEWHERE};
     * a server already at {@code next} (a re-run after a crash) is {@link Move#ALREADY_THERE}; a refusal for another
     * reason (a protected branch, a hook) is an {@link IOException} with the server's message.
     */
    @Override
    public Move compareAndSet(String branch, Sha expected, Sha next, String reflog) throws IOException {
        try (Repository repository = mirror.open()) {
            return mirror.push(repository, Constants.R_HEADS + branch, id(expected), id(next));
        }
    }

    @Override
    public DiffStat diffStat(Sha from, Sha to) throws IOException {
        return reads.diffStat(from, to);
    }

    @Override
    public boolean sameTree(Sha a, Sha b) throws IOException {
        return reads.sameTree(a, b);
    }

    @Override
    public Diff changes(Sha from, Sha to) throws IOException {
        return reads.changes(from, to);
    }

    /** Read in place from the mirror, as the local host reads its repository. */
    @Override
    public void files(Sha commit, FileVisitor visitor) throws IOException {
        reads.files(commit, visitor);
    }

    /** From a copy of the mirror's object files, not a fetch (see {@link MirrorCopy}): the copy shares nothing with the mirror. */
    @Override
    public void checkout(Sha commit, Path into) throws IOException {
        try (Repository repository = mirror.open()) {
            MirrorCopy.checkOut(repository, commit, into, name);
        }
    }

    /** Pushes a coding run's branch from its checkout straight to the server, not forced, then fetches it into the mirror. */
    @Override
    public Move pushBranch(Path from, String branch, Sha commit, Optional<Sha> expected) throws IOException {
        if (!RefName.isAgentBranch(branch) || !Repository.isValidRefName(Constants.R_HEADS + branch)) {
            throw new IllegalArgumentException("only " + RefName.AGENT_BRANCH_PREFIX + "<id> branches are pushed, not '" + branch + "'");
        }
        Move moved;
        try (Repository repository = new FileRepositoryBuilder().findGitDir(from.toFile()).setMustExist(true).build()) {
            moved = mirror.push(repository, Constants.R_HEADS + branch, expected.map(RemoteGitHost::id).orElse(ObjectId.zeroId()), id(commit));
        }
        if (moved != Move.MOVED_ELSEWHERE) mirror.fetch();
        return moved;
    }

    private static ObjectId id(Sha sha) {
        return ObjectId.fromString(sha.hex());
    }
}
