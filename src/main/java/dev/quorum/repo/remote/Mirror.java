package dev.quorum.repo.remote;

import dev.quorum.repo.RepoHost.Move;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A bare copy of a remote repository on Quorum's disk ({@code data/mirrors/<repo>.git}): its branches and tags are the
 * remote's as of the last {@link #fetch}; Quorum's own refs (merge pins, {@code refs/quorum/...}) live only here. One
 * fetch at a time per mirror, across this JVM's threads (a lock) and Quorum instances sharing the data folder (a file
 * lock). Every transport message that leaves this class has passed {@link Credentials#scrub}. The address and the login are
 * the {@link Upstream}'s, asked for each fetch and push.
 */
final class Mirror {
    private static final Logger LOG = LoggerFactory.getLogger(Mirror.class);
    /** The remote's branches and tags, nothing else: a remote cannot write Quorum's pins or any other ref here. */
    private static final List<RefSpec> MIRRORED = List.of(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"));
    /** The names the mirror keeps: what {@code RefName} accepts; anything else a remote advertises is dropped after a fetch. */
    private static final Pattern KEPT_NAME = Pattern.compile("refs/(heads|tags)/[A-Za-z0-9._/-]{1,200}");

    private final String repo;
    private final Upstream upstream;
    private final Path dir;
    private final int timeoutSeconds;
    private final ReentrantLock fetching = new ReentrantLock();
    /** The address last used, for messages (it has no secret: {@link RemoteAddress} refuses one). */
    private volatile String shownUrl = "(its address)";

    Mirror(String repo, Upstream upstream, Path dir, Duration timeout) {
        this.repo = repo;
        this.upstream = upstream;
        this.dir = dir;
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
    }

    Path dir() {
        return dir;
    }

    /** Opens the mirror (JGit's cache keeps it open across calls), creating it on first use. Callers close what they get. */
    Repository open() throws IOException {
        if (!Files.exists(dir.resolve("HEAD"))) create();
        return RepositoryCache.open(RepositoryCache.FileKey.exact(dir.toFile(), FS.DETECTED), true);
    }

    private synchronized void create() throws IOException {
        if (Files.exists(dir.resolve("HEAD"))) return;
        Files.createDirectories(dir.getParent());
        try (Repository created = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build()) {
            created.create(true);
            StoredConfig config = created.getConfig();
            withoutBackgroundGc(config); // it would race a fetch
        }
    }

    /** Turns off JGit's automatic gc, which runs detached after writes, and saves the config. */
    static void withoutBackgroundGc(StoredConfig config) throws IOException {
        config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
        config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
        config.save();
    }

    /** Brings the mirror's branches and tags to the remote's, removing those the remote deleted. One at a time. */
    void fetch() throws IOException {
        underFetchLock(repository -> {
            authenticated(repository, "fetch from", transport -> {
                transport.setRemoveDeletedRefs(true);
                transport.setTagOpt(TagOpt.NO_TAGS);
                transport.fetch(NullProgressMonitor.INSTANCE, MIRRORED);
                return null;
            });
            dropUnkeptNames(repository);
            return null;
        });
    }

    /**
     * Fetches the remote's one ref {@code remote} (e.g. {@code refs/pull/7/head}) into the mirror as {@code local}, one of
     * Quorum's own refs ({@code refs/quorum/...}): fetches of branches and tags never prune it. Returns where it points.
     *
     * @throws IOException when the remote has no such ref, or cannot be reached
     */
    ObjectId fetchRef(String remote, String local) throws IOException {
        if (!local.startsWith("refs/quorum/") || !Repository.isValidRefName(local) || !Repository.isValidRefName(remote)) {
            throw new IllegalArgumentException("a remote ref is fetched only under refs/quorum/, not " + local);
        }
        return underFetchLock(repository -> {
            authenticated(repository, "fetch " + remote + " from", transport -> {
                transport.setTagOpt(TagOpt.NO_TAGS);
                return transport.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec("+" + remote + ":" + local)));
            });
            Ref fetched = repository.exactRef(local);
            if (fetched == null || fetched.getObjectId() == null) throw new IOException("the git server of repo " + repo + " has no " + remote);
            return fetched.getObjectId();
        });
    }

    /** Runs {@code work} on the mirror holding the fetch locks: this JVM's and the data folder's. */
    private <T> T underFetchLock(MirrorWork<T> work) throws IOException {
        fetching.lock();
        try (Repository repository = open();
             FileChannel channel = FileChannel.open(dir.resolve("quorum-fetch.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return work.run(repository);
        } finally {
            fetching.unlock();
        }
    }

    @FunctionalInterface
    private interface MirrorWork<T> {
        T run(Repository repository) throws IOException;
    }

    @FunctionalInterface
    private interface TransportWork<T> {
        T run(Transport transport) throws IOException;
    }

    /**
     * Runs {@code work} on a transport from {@code local} to the remote with the upstream's login now. A login the server refuses
     * is reported to the upstream, which may offer a new one (an App token that expired early): then the work runs once more.
     * Transport failures become {@link #failure}s (scrubbed, naming {@code doing}).
     */
    private <T> T authenticated(Repository local, String doing, TransportWork<T> work) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Optional<Upstream.Login> login = upstream.login();
            try (Transport transport = transport(local, login)) {
                return work.run(transport);
            } catch (TransportException e) {
                if (attempt == 1 && loginRefused(e) && login.isPresent() && upstream.refused(login.get())) continue;
                throw failure(doing, e, login);
            }
        }
    }

    private static boolean loginRefused(TransportException e) {
        String reason = String.valueOf(e.getMessage());
        return reason.contains("not authorized") || reason.contains("Authentication is required");
    }

    /** A remote may advertise names no Quorum grammar reads (bidi controls, other characters): they are not kept. */
    private void dropUnkeptNames(Repository repository) throws IOException {
        for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_REFS)) {
            String name = ref.getName();
            boolean mirrored = name.startsWith(Constants.R_HEADS) || name.startsWith(Constants.R_TAGS);
            if (!mirrored || KEPT_NAME.matcher(name).matches()) continue;
            LOG.warn("repo {}: dropped a ref the remote advertises with a name Quorum does not read: {}", repo,
                    name.codePoints().mapToObj(c -> c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\u%04x", c))
                            .reduce("", String::concat));
            RefUpdate delete = repository.updateRef(name);
            delete.setForceUpdate(true);
            delete.delete();
        }
    }

    /**
     * Pushes {@code next} (which {@code from} has) to the remote's {@code ref}, never by force, only if the remote's ref
     * is at {@code expected} (zero: must not exist). On success the mirror's own copy of the ref follows.
     */
    Move push(Repository from, String ref, ObjectId expected, ObjectId next) throws IOException {
        try (Repository mirror = open()) {
            Move pushed = authenticated(from, "push to", transport -> {
                RemoteRefUpdate update = new RemoteRefUpdate(from, null, next, ref, false, null, expected);
                PushResult result = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
                RemoteRefUpdate answered = result.getRemoteUpdate(ref);
                return switch (answered.getStatus()) {
                    case OK -> Move.MOVED;
                    case UP_TO_DATE -> Move.ALREADY_THERE;
                    case REJECTED_REMOTE_CHANGED, REJECTED_NONFASTFORWARD, REJECTED_NODELETE -> Move.MOVED_ELSEWHERE;
                    // The server's own refusal: its ref moved under the push (lost the race at the server), or a rule
                    // (protected branch, hook). Which one is read from where the ref is now.
                    case REJECTED_OTHER_REASON, NON_EXISTING, NOT_ATTEMPTED, AWAITING_REPORT ->
                            afterRefusal(from, ref, expected, next, answered, result.getMessages());
                };
            });
            if (pushed != Move.MOVED_ELSEWHERE) follow(mirror, ref, next);
            return pushed;
        }
    }

    private Move afterRefusal(Repository from, String ref, ObjectId expected, ObjectId next, RemoteRefUpdate answered,
                                String serverSaid) throws IOException {
        Optional<ObjectId> now = remoteRef(from, ref);
        if (now.isPresent() && now.get().equals(next)) return Move.ALREADY_THERE;
        if (!now.orElse(ObjectId.zeroId()).equals(expected)) return Move.MOVED_ELSEWHERE;
        String reason = answered.getMessage() == null ? answered.getStatus().name() : answered.getMessage();
        String said = plain(serverSaid);
        throw new IOException(Credentials.scrub("the git server of repo " + repo + " refused the push to " + Repository.shortenRefName(ref)
                + ": " + reason + (said.isEmpty() ? "" : " (" + said + ")"), upstream.login()));
    }

    /** What a server printed (a hook's, a protection rule's message): one line, no control characters, bounded. */
    private static String plain(String text) {
        if (text == null) return "";
        String line = text.replaceAll("[\\p{Cntrl}\\p{Cf}]+", " ").replaceAll("\\s+", " ").strip();
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }

    /** Where the remote's {@code ref} is now (an ls-remote). */
    private Optional<ObjectId> remoteRef(Repository local, String ref) throws IOException {
        return authenticated(local, "read refs of", transport -> {
            try (FetchConnection connection = transport.openFetch()) {
                Ref found = connection.getRef(ref);
                return found == null ? Optional.empty() : Optional.ofNullable(found.getObjectId());
            }
        });
    }

    private static void follow(Repository mirror, String ref, ObjectId next) throws IOException {
        if (!mirror.getObjectDatabase().has(next)) return; // pushed from elsewhere: the next fetch brings it
        RefUpdate update = mirror.updateRef(ref);
        update.setNewObjectId(next);
        update.setForceUpdate(true); // a copy of what the remote now has, not a decision
        update.setRefLogMessage("quorum: pushed to the remote", false);
        update.update();
    }

    private Transport transport(Repository local, Optional<Upstream.Login> login) throws IOException {
        // No redirect may carry the credentials to another host; set on the repository pushed from, too (in memory).
        local.getConfig().setString("http", null, "followRedirects", "false");
        Transport transport = Transport.open(local, address());
        transport.setTimeout(timeoutSeconds);
        login.ifPresent(l -> transport.setCredentialsProvider(new UsernamePasswordCredentialsProvider(l.user(), l.password())));
        return transport;
    }

    /** The upstream's address now, checked before any transport sees it. */
    private URIish address() throws IOException {
        String url = upstream.url();
        Optional<String> problem = RemoteAddress.urlProblem(url);
        if (problem.isPresent()) throw new IOException("refused the git address of repo " + repo + ": " + problem.get());
        try {
            URIish address = new URIish(url);
            shownUrl = url;
            return address;
        } catch (URISyntaxException e) {
            throw new IOException("refused the git address of repo " + repo + ": not a URL");
        }
    }

    /** An error that names the repo, the address (it has no secret: {@link RemoteAddress} refuses one) and the reason, scrubbed. */
    private IOException failure(String doing, TransportException e, Optional<Upstream.Login> login) {
        String url = shownUrl;
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (reason.startsWith(url)) reason = reason.substring(url.length()).replaceFirst("^:\\s*", "");
        String explained = loginRefused(e)
                ? "the server did not accept the credentials" + (login.isEmpty() ? " (none configured)" : " from " + upstream.loginSource())
                : Credentials.scrub(reason, login);
        return new IOException("could not " + doing + " " + url + " for repo " + repo + ": " + explained);
    }
}
