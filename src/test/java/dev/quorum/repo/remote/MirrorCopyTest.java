package dev.quorum.repo.remote;

import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.quorum.testing.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The remote host's workspace: a copy of the mirror's objects and the commit's files written several at once. The
 * files and the index must be what JGit's own checkout (the local host's) makes of the same commit, a hostile tree must
 * not get a file written outside the workspace, and nothing done in the workspace may reach the mirror.
 */
class MirrorCopyTest {
    private static final PersonIdent WHO = new PersonIdent("T", "t@example.com", Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir Path tmp;
    Path mirrorDir;
    Repository mirror;

    @BeforeEach
    void createMirror() throws IOException {
        mirrorDir = tmp.resolve("mirror.git");
        mirror = new FileRepositoryBuilder().setGitDir(mirrorDir.toFile()).setBare().build();
        mirror.create(true);
    }

    @AfterEach
    void close() {
        mirror.close();
    }

    @Test
    void writesTheFilesAndIndexJGitsOwnCheckoutWrites() throws Exception {
        Map<String, Leaf> files = new TreeMap<>();
        for (int i = 0; i < 300; i++) files.put("src/d" + (i % 23) + "/f" + i + ".txt", file("file " + i + "\n".repeat(i % 5)));
        files.put("empty.txt", file(""));
        files.put("bin/run.sh", new Leaf(FileMode.EXECUTABLE_FILE, blob("#!/bin/sh\necho hi\n")));
        files.put("link", new Leaf(FileMode.SYMLINK, blob("src/d0/f0.txt")));
        files.put("vendor/lib", new Leaf(FileMode.GITLINK, ObjectId.fromString("1234567890123456789012345678901234567890")));
        files.put(".gitattributes", file("*.crlf text eol=crlf\n"));
        files.put("notes.crlf", file("one\ntwo\n"));
        Sha commit = commit(files);

        Path ours = tmp.resolve("ours");
        MirrorCopy.checkOut(mirror, commit, ours, "demo");
        Path jgits = tmp.resolve("jgits");
        RepoHosts.local("demo", mirrorDir).checkout(commit, jgits);

        assertThat(workingTree(ours)).isEqualTo(workingTree(jgits)).hasSize(files.size());
        assertThat(index(ours)).isEqualTo(index(jgits)).hasSize(files.size());
        for (Map.Entry<String, Long> recorded : recordedLengths(ours).entrySet()) {
            long onDisk = Files.readAttributes(ours.resolve(recorded.getKey()), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
            assertThat(recorded.getValue()).as("the length the index records for %s", recorded.getKey()).isIn(0L, onDisk);
        }
        assertThat(ours.resolve("notes.crlf")).hasContent("one\r\ntwo\r\n");
        assertThat(Files.isExecutable(ours.resolve("bin/run.sh"))).isTrue();
        assertThat(Files.isExecutable(ours.resolve("empty.txt"))).isFalse();
        assertThat(Files.readSymbolicLink(ours.resolve("link"))).isEqualTo(Path.of("src/d0/f0.txt"));
        assertThat(git(ours, "status", "--porcelain", "--ignore-submodules=none")).as("git sees the index match the files").isEmpty();
        try (Git git = Git.open(ours.toFile())) {
            assertThat(git.status().call().isClean()).as("and so does JGit").isTrue();
            assertThat(git.getRepository().getFullBranch()).isEqualTo(commit.hex());
        }
    }

    @Test
    void aPathIntoGitsOwnFolderIsRefusedBeforeAnythingIsWritten() throws Exception {
        Sha commit = commit(Map.of("a.txt", file("a\n"), ".git/config", file("[core]\n\thooksPath = /tmp/evil\n")));

        assertThatThrownBy(() -> MirrorCopy.checkOut(mirror, commit, tmp.resolve("ws"), "demo"))
                .isInstanceOf(IOException.class).hasMessageStartingWith("refused to check out '.git/config': ");
        assertThat(Files.readString(tmp.resolve("ws/.git/config"))).doesNotContain("hooksPath");
        assertThat(tmp.resolve("ws/a.txt")).doesNotExist();
    }

    @Test
    void aParentFolderPathIsRefused() throws Exception {
        Sha commit = commit(Map.of("../escaped.txt", file("out\n")));

        assertThatThrownBy(() -> MirrorCopy.checkOut(mirror, commit, tmp.resolve("ws"), "demo"))
                .isInstanceOf(IOException.class).hasMessageStartingWith("refused to check out '../escaped.txt': ");
        assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    }

    /** A link named like a folder of the same tree: written first, the folder's files would go where it points. */
    @Test
    void aLinkWithTheNameOfAFolderIsRefused() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        ObjectId inner = tree(Map.of("pwned.txt", file("pwned\n")));
        TreeFormatter root = new TreeFormatter();
        root.append("out", FileMode.SYMLINK, blob(outside.toString()));
        root.append("out", FileMode.TREE, inner);
        Sha commit = commit(insert(root));

        assertThatThrownBy(() -> MirrorCopy.checkOut(mirror, commit, tmp.resolve("ws"), "demo"))
                .isInstanceOf(IOException.class).hasMessage("refused to check out 'out': the tree has a file and a folder of this name");
        try (Stream<Path> left = Files.list(outside)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFileNamedTwiceIsRefused() throws Exception {
        TreeFormatter root = new TreeFormatter();
        root.append("a.txt", FileMode.REGULAR_FILE, blob("one\n"));
        root.append("a.txt", FileMode.SYMLINK, blob("/etc/passwd"));
        Sha commit = commit(insert(root));

        assertThatThrownBy(() -> MirrorCopy.checkOut(mirror, commit, tmp.resolve("ws"), "demo"))
                .isInstanceOf(IOException.class).hasMessage("refused to check out 'a.txt': the tree names it twice");
    }

    /** The writers stop on the first failure and the caller hears it, rather than waiting or getting half a tree quietly. */
    @Test
    void aMissingBlobFailsTheCheckout() throws Exception {
        Map<String, Leaf> files = new TreeMap<>();
        for (int i = 0; i < 400; i++) files.put("d" + (i % 10) + "/f" + i, file("f" + i + "\n"));
        ObjectId missing = ObjectId.fromString("0123456789012345678901234567890123456789");
        files.put("d5/missing", new Leaf(FileMode.REGULAR_FILE, missing));
        Sha commit = commit(files);

        assertThatThrownBy(() -> MirrorCopy.checkOut(mirror, commit, tmp.resolve("ws"), "demo"))
                .isInstanceOf(org.eclipse.jgit.errors.MissingObjectException.class).hasMessageContaining(missing.name());
        assertThat(tmp.resolve("ws/.git/index")).doesNotExist();
    }

    @Test
    void theWorkspaceSharesNoFileWithTheMirrorAndWhatRunsThereCannotChangeIt() throws Exception {
        Sha commit = commit(Map.of("a.txt", file("a\n"), "b/c.txt", file("c\n")));
        blob("loose, not in the pack\n");
        git(mirrorDir, "repack", "-q", "-d"); // the commit in a pack, the last blob loose: both kinds are copied
        Path ws = tmp.resolve("ws");

        MirrorCopy.checkOut(mirror, commit, ws, "demo");

        Set<Object> mirrorFiles = new HashSet<>();
        for (Path file : files(mirrorDir.resolve("objects"))) mirrorFiles.add(Files.getAttribute(file, "unix:ino"));
        List<Path> copied = files(ws.resolve(".git/objects"));
        assertThat(copied).anyMatch(p -> p.toString().endsWith(".pack")).anyMatch(p -> p.getParent().getFileName().toString().length() == 2);
        for (Path file : copied) {
            assertThat(Files.getAttribute(file, "unix:nlink")).as("no hard link: %s", file).isEqualTo(1);
            assertThat(mirrorFiles).as("not the mirror's file: %s", file).doesNotContain(Files.getAttribute(file, "unix:ino"));
        }
        assertThat(ws.resolve(".git/objects/info/alternates")).doesNotExist();

        for (Path file : copied) { // code run in the workspace may do anything to its own files
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(file, "scribbled");
        }
        Files.writeString(ws.resolve("a.txt"), "scribbled");
        git(mirrorDir, "fsck", "--strict", "--no-dangling");
        assertThat(new String(mirror.open(mirror.resolve(commit.hex() + ":a.txt")).getBytes(), StandardCharsets.UTF_8)).isEqualTo("a\n");
    }

    // ---- building trees the way a (hostile) server may send them -------------------------------------

    private record Leaf(FileMode mode, ObjectId id) {}

    private Leaf file(String text) throws IOException {
        return new Leaf(FileMode.REGULAR_FILE, blob(text));
    }

    private ObjectId blob(String text) throws IOException {
        try (ObjectInserter inserter = mirror.newObjectInserter()) {
            ObjectId id = inserter.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8));
            inserter.flush();
            return id;
        }
    }

    /** A tree of {@code files} (paths with slashes), entries in git's order; names are not checked, as a server's are not. */
    private ObjectId tree(Map<String, Leaf> files) throws IOException {
        Map<String, Leaf> here = new TreeMap<>();
        Map<String, Map<String, Leaf>> below = new TreeMap<>();
        files.forEach((path, leaf) -> {
            int slash = path.indexOf('/');
            if (slash < 0) here.put(path, leaf);
            else below.computeIfAbsent(path.substring(0, slash), k -> new TreeMap<>()).put(path.substring(slash + 1), leaf);
        });
        TreeMap<String, Leaf> sorted = new TreeMap<>(); // git sorts a folder as if its name ended in '/'
        here.forEach((name, leaf) -> sorted.put(name, leaf));
        for (Map.Entry<String, Map<String, Leaf>> folder : below.entrySet()) {
            sorted.put(folder.getKey() + "/", new Leaf(FileMode.TREE, tree(folder.getValue())));
        }
        TreeFormatter formatter = new TreeFormatter();
        sorted.forEach((name, leaf) -> formatter.append(name.replaceFirst("/$", ""), leaf.mode(), leaf.id()));
        return insert(formatter);
    }

    private ObjectId insert(TreeFormatter tree) throws IOException {
        try (ObjectInserter inserter = mirror.newObjectInserter()) {
            ObjectId id = inserter.insert(tree);
            inserter.flush();
            return id;
        }
    }

    private Sha commit(Map<String, Leaf> files) throws IOException {
        return commit(tree(files));
    }

    private Sha commit(ObjectId tree) throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setAuthor(WHO);
        commit.setCommitter(WHO);
        commit.setMessage("test\n");
        ObjectId id;
        try (ObjectInserter inserter = mirror.newObjectInserter()) {
            id = inserter.insert(commit);
            inserter.flush();
        }
        RefUpdate main = mirror.updateRef("refs/heads/main");
        main.setNewObjectId(id);
        main.forceUpdate();
        return new Sha(id.name());
    }

    // ---- reading a checkout back ------------------------------------------------------------------

    /** Every entry of the working tree but .git: a file's mode and bytes, a link's target, an empty folder. */
    private static Map<String, String> workingTree(Path root) throws IOException {
        Map<String, String> seen = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(p -> !root.relativize(p).startsWith(".git") && !p.equals(root)).toList()) {
                String name = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    seen.put(name, "link to " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> inside = Files.list(p)) {
                        if (inside.findAny().isEmpty()) seen.put(name, "empty folder");
                    }
                } else {
                    seen.put(name, (Files.isExecutable(p) ? "executable " : "file ") + new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
                }
            }
        }
        return seen;
    }

    /** The index's entries: path, mode, object (lengths differ by when the index was written: racy entries have 0). */
    private static List<String> index(Path root) throws IOException {
        List<String> entries = new ArrayList<>();
        try (Repository repository = new FileRepositoryBuilder().setWorkTree(root.toFile()).setMustExist(true).build()) {
            DirCache index = repository.readDirCache();
            for (int i = 0; i < index.getEntryCount(); i++) {
                DirCacheEntry entry = index.getEntry(i);
                entries.add(entry.getPathString() + " " + entry.getFileMode() + " " + entry.getObjectId().name());
            }
        }
        return entries;
    }

    /** Path to the length the index recorded, for files and links (0: smudged as racily clean, compared by content). */
    private static Map<String, Long> recordedLengths(Path root) throws IOException {
        Map<String, Long> lengths = new TreeMap<>();
        try (Repository repository = new FileRepositoryBuilder().setWorkTree(root.toFile()).setMustExist(true).build()) {
            DirCache index = repository.readDirCache();
            for (int i = 0; i < index.getEntryCount(); i++) {
                DirCacheEntry entry = index.getEntry(i);
                if (entry.getFileMode() != FileMode.GITLINK) lengths.put(entry.getPathString(), (long) entry.getLength());
            }
        }
        return lengths;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
