package dev.quorum.repo;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PackParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo repository, built from files shipped in Quorum's jar: a bare git repository whose
 * {@code main} is a tiny Maven project with JUnit tests and {@code scripts/deploy.sh}, and one
 * branch off it for each step of the README's tour: a tested change to merge, a second one to
 * merge during a freeze, one that conflicts with the first, and one whose tests take half a
 * minute (to cancel). Authors and dates are fixed, so every installation gets the same commit
 * SHAs.
 *
 * <p>The commits are written straight into the object database (no working tree, no clone), as
 * {@code git add} and {@code git commit} would write them: the SHAs of {@code main} and
 * {@code feature/greeting} are those every installation has had since the demo began.
 */
public final class DemoRepository {
    private static final Logger LOG = LoggerFactory.getLogger(DemoRepository.class);
    private static final String ROOT = "/demo-repo/";
    private static final String MAIN = "main";

    /** One branch: the files of {@code main} with the files of {@code layer} over them, one commit on main's. */
    private record Branch(String name, String layer, String message, Instant at) {}

    private static final Branch TRUNK = new Branch(MAIN, "main/", "Greeter: greet people by name, with tests",
            Instant.parse("2026-01-05T09:00:00Z"));
    private static final List<Branch> BRANCHES = List.of(
            new Branch("feature/greeting", "greeting/", "Friendlier greeting and a farewell, with tests",
                    Instant.parse("2026-01-06T09:00:00Z")),
            new Branch("feature/introductions", "introductions/", "Introducer: introduce two people to each other, with tests",
                    Instant.parse("2026-01-07T09:00:00Z")),
            new Branch("feature/formal-greeting", "formal-greeting/", "A formal greeting, with tests",
                    Instant.parse("2026-01-08T09:00:00Z")),
            new Branch("feature/slow-tests", "slow-tests/", "A soak test that greets for half a minute",
                    Instant.parse("2026-01-09T09:00:00Z")));

    private DemoRepository() {}

    /**
     * Creates the repository at {@code target} when nothing is there. When a demo repository is
     * there already (one holding the demo's first {@code main} commit), adds the tour's branches it
     * lacks, each at its fixed commit; a branch that exists is never moved, whatever it points at.
     * Anything else at {@code target} is left alone.
     *
     * @return true if it created the repository or added a branch
     */
    public static boolean createIfMissing(Path target) throws IOException {
        Commits commits = build();
        if (!Files.exists(target)) {
            create(target, commits);
            LOG.info("Created the demo repository at {} (branches {})", target, String.join(", ", commits.heads().keySet()));
            return true;
        }
        List<String> added = addMissingBranches(target, commits);
        if (!added.isEmpty()) LOG.info("Added the demo branches {} to {}", String.join(", ", added), target);
        return !added.isEmpty();
    }

    private static void create(Path target, Commits commits) throws IOException {
        Files.createDirectories(target.getParent());
        try (Git git = Git.init().setBare(true).setInitialBranch(MAIN).setDirectory(target.toFile()).call()) {
            Repository repo = git.getRepository();
            commits.writeTo(repo);
            for (Map.Entry<String, ObjectId> head : commits.heads().entrySet()) createBranch(repo, head.getKey(), head.getValue());
        } catch (GitAPIException e) {
            throw new IOException("could not create the demo repository at " + target + ": " + e.getMessage(), e);
        }
    }

    private static List<String> addMissingBranches(Path target, Commits commits) throws IOException {
        Repository repo;
        try {
            repo = new FileRepositoryBuilder().setGitDir(target.toFile()).setMustExist(true).build();
        } catch (RepositoryNotFoundException e) {
            return List.of(); // not a git repository: someone's own folder
        }
        try (repo) {
            ObjectId trunk = commits.heads().get(MAIN);
            // A repository without the demo's first commit is not the demo (another project
            // configured with demo: true): branches of the demo would be unrelated history there.
            if (!repo.getObjectDatabase().has(trunk)) return List.of();
            List<String> missing = new ArrayList<>();
            for (String name : commits.heads().keySet()) {
                if (!name.equals(MAIN) && repo.exactRef(Constants.R_HEADS + name) == null) missing.add(name);
            }
            if (missing.isEmpty()) return List.of();
            commits.writeTo(repo);
            List<String> added = new ArrayList<>();
            for (String name : missing) {
                if (createBranch(repo, name, commits.heads().get(name))) added.add(name);
            }
            return added;
        }
    }

    /** Creates the branch only if it does not exist: an existing one is never moved. */
    private static boolean createBranch(Repository repo, String name, ObjectId commit) throws IOException {
        RefUpdate update = repo.updateRef(Constants.R_HEADS + name);
        update.setExpectedOldObjectId(ObjectId.zeroId());
        update.setNewObjectId(commit);
        update.setRefLogMessage("created by Quorum's demo", false);
        RefUpdate.Result result = update.update();
        return result == RefUpdate.Result.NEW;
    }

    // ---- the commits, built in memory ------------------------------------------------------

    /** The demo's objects (id to type and content) and each branch's commit, main first. */
    private record Commits(Map<ObjectId, Stored> objects, Map<String, ObjectId> heads) {
        void writeTo(Repository repo) throws IOException {
            try (ObjectInserter in = repo.newObjectInserter()) {
                for (Stored o : objects.values()) in.insert(o.type(), o.content());
                in.flush();
            }
        }
    }

    private record Stored(int type, byte[] content) {}

    private static Commits build() throws IOException {
        List<String> files = index();
        Map<String, byte[]> trunkFiles = read(files, TRUNK.layer());
        try (Staging staging = new Staging()) {
            Map<String, ObjectId> heads = new LinkedHashMap<>();
            ObjectId trunk = commit(staging, trunkFiles, TRUNK, null);
            heads.put(MAIN, trunk);
            for (Branch b : BRANCHES) {
                Map<String, byte[]> tree = new TreeMap<>(trunkFiles);
                tree.putAll(read(files, b.layer()));
                heads.put(b.name(), commit(staging, tree, b, trunk));
            }
            return new Commits(staging.objects, heads);
        }
    }

    private static ObjectId commit(ObjectInserter in, Map<String, byte[]> files, Branch b, ObjectId parent) throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            DirCacheEntry entry = new DirCacheEntry(f.getKey());
            // As git add records them: the deploy script executable, everything else a plain file.
            entry.setFileMode(f.getKey().endsWith(".sh") ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
            entry.setObjectId(in.insert(Constants.OBJ_BLOB, f.getValue()));
            builder.add(entry);
        }
        builder.finish();
        PersonIdent who = new PersonIdent("Quorum Demo", "demo@quorum.dev", b.at(), ZoneOffset.UTC);
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(index.writeTree(in));
        if (parent != null) commit.setParentId(parent);
        commit.setAuthor(who);
        commit.setCommitter(who);
        commit.setMessage(b.message());
        return in.insert(commit);
    }

    /**
     * An inserter that keeps objects in memory, so that the demo's commits are known (and can be
     * compared with what a repository holds) before anything is written to one.
     */
    private static final class Staging extends ObjectInserter {
        private final Map<ObjectId, Stored> objects = new LinkedHashMap<>();

        @Override
        public ObjectId insert(int type, long length, InputStream in) throws IOException {
            byte[] content = in.readNBytes((int) length);
            ObjectId id = idFor(type, content);
            objects.putIfAbsent(id, new Stored(type, content));
            return id;
        }

        @Override
        public PackParser newPackParser(InputStream in) {
            throw new UnsupportedOperationException("the demo's staging takes single objects only");
        }

        @Override
        public ObjectReader newReader() {
            throw new UnsupportedOperationException("the demo's staging is written, never read");
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    // ---- the shipped files -----------------------------------------------------------------

    private static List<String> index() throws IOException {
        try (InputStream in = resource("files.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        }
    }

    /** The files of one layer, by their path in the repository. */
    private static Map<String, byte[]> read(List<String> files, String layer) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        for (String f : files) {
            if (!f.startsWith(layer)) continue;
            try (InputStream in = resource(f)) {
                out.put(f.substring(layer.length()), in.readAllBytes());
            }
        }
        if (out.isEmpty()) throw new IOException("no demo files for " + layer + " in Quorum's jar");
        return out;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = DemoRepository.class.getResourceAsStream(ROOT + name);
        if (in == null) throw new IOException("missing demo file " + ROOT + name + " in Quorum's jar");
        return in;
    }
}
