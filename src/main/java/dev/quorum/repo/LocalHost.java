package dev.quorum.repo;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A repository on this disk ({@code repos.<name>.path}, bare or not), read and moved in place with
 * JGit: today's behaviour. {@link #refresh} has nothing to fetch. Stateless apart from its path;
 * JGit's repository cache makes the many small reads cheap.
 */
final class LocalHost implements RepoHost {
    /** Every ref of the source lands here in a checkout, so a commit only a non-branch ref reaches is found too. */
    private static final RefSpec ALL_SOURCE_REFS = new RefSpec("+refs/*:refs/quorum-source/*");

    private final String name;
    private final Path dir;

    LocalHost(String name, Path dir) {
        this.name = Objects.requireNonNull(name, "name");
        this.dir = dir.toAbsolutePath();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void refresh() {
        // the repository is the copy: nothing to fetch
    }

    @Override
    public Sha resolve(String ref) throws RefResolutionException {
        RefName parsed = RefName.parse(ref);
        try (Git git = Git.open(dir.toFile())) {
            Repository repository = git.getRepository();
            Ref named = repository.findRef(parsed.text());
            if (named != null) {
                ObjectId target = named.getObjectId();
                if (target == null) {
                    throw new RefResolutionException("ref '" + ref + "' in repo " + name + " points at nothing yet");
                }
                return commitOf(repository, target, ref);
            }
            if (parsed.couldBeSha()) return commitOf(repository, uniqueObject(repository, ref), ref);
            throw RefResolutionException.unknown(ref, name);
        } catch (IOException e) {
            throw new RefResolutionException("cannot read repo " + name + " to resolve '" + ref + "': " + e.getMessage(), e);
        }
    }

    private ObjectId uniqueObject(Repository repository, String hex) throws IOException, RefResolutionException {
        try (ObjectReader reader = repository.newObjectReader()) {
            Collection<ObjectId> matches = reader.resolve(AbbreviatedObjectId.fromString(hex.toLowerCase(java.util.Locale.ROOT)));
            if (matches.isEmpty()) throw RefResolutionException.unknown(hex, name);
            if (matches.size() > 1) {
                throw new RefResolutionException("ambiguous ref '" + hex + "' in repo " + name + ": matches "
                        + matches.size() + " objects; give more digits");
            }
            return matches.iterator().next();
        }
    }

    private Sha commitOf(Repository repository, ObjectId id, String ref) throws IOException, RefResolutionException {
        try (RevWalk walk = new RevWalk(repository)) {
            return new Sha(walk.parseCommit(id).name()); // peels annotated tags
        } catch (MissingObjectException e) {
            throw new RefResolutionException("unknown ref '" + ref + "' in repo " + name, e);
        } catch (IncorrectObjectTypeException e) {
            throw new RefResolutionException("ref '" + ref + "' in repo " + name + " is not a commit", e);
        }
    }

    @Override
    public Optional<Sha> head(String branch) throws IOException {
        return GitRepos.head(dir, branch);
    }

    @Override
    public Optional<NamedRef> findRef(String ref) throws IOException {
        return GitRepos.findRef(dir, ref);
    }

    @Override
    public List<String> refNames(boolean withTags) throws IOException {
        return GitRepos.refNames(dir, withTags);
    }

    @Override
    public boolean isOnBranch(Sha commit, String branch) throws IOException {
        return GitRepos.isOnBranch(dir, commit, branch);
    }

    @Override
    public MergePlan planMerge(Sha target, Sha source, boolean fastForwardAllowed, String message, String pinRef, Instant now)
            throws IOException {
        return GitRepos.planMerge(dir, target, source, fastForwardAllowed, message, pinRef, now);
    }

    @Override
    public Move compareAndSet(String branch, Sha expected, Sha next, String reflog) throws IOException {
        return GitRepos.compareAndSet(dir, branch, expected, next, reflog);
    }

    @Override
    public DiffStat diffStat(Sha from, Sha to) throws IOException {
        return naming(() -> GitRepos.diff(dir, from, to));
    }

    @Override
    public boolean sameTree(Sha a, Sha b) throws IOException {
        return naming(() -> GitRepos.sameTree(dir, a, b));
    }

    @Override
    public Diff changes(Sha from, Sha to) throws IOException {
        return naming(() -> GitRepos.changes(dir, from, to));
    }

    /** A read of commits, whose missing commit is told to users as {@link CommitNotFoundException}. */
    @FunctionalInterface
    private interface CommitRead<T> {
        T read() throws IOException;
    }

    private <T> T naming(CommitRead<T> read) throws IOException {
        try {
            return read.read();
        } catch (MissingObjectException e) {
            throw new CommitNotFoundException(new Sha(e.getObjectId().name()), name);
        }
    }

    @Override
    public void files(Sha commit, FileVisitor visitor) throws IOException {
        try {
            GitRepos.files(dir, commit, visitor);
        } catch (MissingObjectException e) {
            throw new CommitNotFoundException(commit, name);
        }
    }

    @Override
    public void checkout(Sha commit, Path into) throws IOException {
        fetchAndCheckOut(dir.toUri().toString(), commit, into, name);
    }

    /**
     * Makes {@code into} a repository of its own with every ref of {@code sourceUri} fetched and
     * {@code commit} checked out detached; also what a remote host does from its mirror.
     */
    static void fetchAndCheckOut(String sourceUri, Sha commit, Path into, String repo) throws IOException {
        try (Git git = Git.init().setDirectory(into.toFile()).setInitialBranch("quorum").call()) {
            // No gc after the fetch. JGit starts a detached gc task (taking gc.log.lock) even when
            // there is nothing to do, and it would race the deletion of the workspace.
            StoredConfig config = git.getRepository().getConfig();
            config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.save();
            git.fetch().setRemote(sourceUri).setRefSpecs(ALL_SOURCE_REFS).setTagOpt(TagOpt.NO_TAGS).call();
            Repository repository = git.getRepository();
            ObjectId id = ObjectId.fromString(commit.hex());
            if (!repository.getObjectDatabase().has(id)) throw new CommitNotFoundException(commit, repo);
            git.checkout().setName(commit.hex()).call();
            ObjectId head = repository.resolve(Constants.HEAD);
            if (!id.equals(head) || !commit.hex().equals(repository.getFullBranch())) {
                throw new IOException("workspace HEAD is " + head + " after checking out " + commit.hex());
            }
        } catch (GitAPIException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public Move pushBranch(Path from, String branch, Sha commit, Optional<Sha> expected) throws IOException {
        try {
            return push(from, new URIish(dir.toUri().toString()), branch, commit, expected, this);
        } catch (URISyntaxException e) {
            throw new IOException("cannot name repo " + name + " as a push target: " + e.getMessage(), e);
        }
    }

    /** Pushes {@code commit} from the repository at {@code from} to {@code branch} of {@code target}, compare-and-set, never forced. */
    static Move push(Path from, URIish target, String branch, Sha commit, Optional<Sha> expected, RepoHost host) throws IOException {
        if (!RefName.isAgentBranch(branch) || !Repository.isValidRefName(Constants.R_HEADS + branch)) {
            throw new IllegalArgumentException("only " + RefName.AGENT_BRANCH_PREFIX + "<id> branches are pushed, not '" + branch + "'");
        }
        Optional<Sha> now = host.head(branch);
        if (now.equals(Optional.of(commit))) return Move.ALREADY_THERE;
        if (!now.equals(expected)) return Move.MOVED_ELSEWHERE;
        try (Git git = Git.open(from.toFile()); Transport transport = Transport.open(git.getRepository(), target)) {
            ObjectId old = expected.map(sha -> ObjectId.fromString(sha.hex())).orElse(ObjectId.zeroId());
            RemoteRefUpdate update = new RemoteRefUpdate(git.getRepository(), commit.hex(), ObjectId.fromString(commit.hex()),
                    Constants.R_HEADS + branch, false, null, old);
            RemoteRefUpdate.Status status = transport.push(NullProgressMonitor.INSTANCE, List.of(update))
                    .getRemoteUpdate(Constants.R_HEADS + branch).getStatus();
            return switch (status) {
                case OK -> Move.MOVED;
                case UP_TO_DATE -> Move.ALREADY_THERE;
                case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED, REJECTED_NODELETE -> Move.MOVED_ELSEWHERE;
                case NOT_ATTEMPTED, REJECTED_OTHER_REASON, NON_EXISTING, AWAITING_REPORT ->
                        throw new IOException("the repository refused " + branch + ": " + status
                                + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"));
            };
        }
    }
}
