package dev.quorum.repo.remote;

import dev.quorum.repo.CommitNotFoundException;
import dev.quorum.repo.Sha;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A workspace made from the mirror by copying its object files (packs, then loose objects) instead of a fetch: a fetch
 * from a local repository makes JGit write a new pack of the whole history and index it again, which for a large
 * repository is most of a verification. The copy shares nothing with the mirror (no hard links, no alternates), so what
 * runs in the workspace cannot touch the mirror. Every ref of the mirror is set under {@code refs/quorum-source/*}; the
 * commit's files are written by {@link ParallelCheckout}, several at once.
 */
final class MirrorCopy {
    private static final Pattern PACK = Pattern.compile("pack-[0-9a-f]{40,64}\\.pack");
    private static final Pattern LOOSE = Pattern.compile("[0-9a-f]{2}/[0-9a-f]{38,62}");

    private MirrorCopy() {}

    static void checkOut(Repository mirror, Sha commit, Path into, String repo) throws IOException {
        try {
            Git.init().setDirectory(into.toFile()).setInitialBranch("quorum").call().close();
            Path objects = mirror.getDirectory().toPath().resolve("objects");
            copyObjects(objects, into.resolve(".git/objects"));
            try (Repository copy = Git.open(into.toFile()).getRepository()) {
                Mirror.withoutBackgroundGc(copy.getConfig()); // it would race the deletion of the workspace
                ObjectId id = ObjectId.fromString(commit.hex());
                if (!copy.getObjectDatabase().has(id)) throw new CommitNotFoundException(commit, repo);
                copyRefs(mirror, copy);
                try (RevWalk walk = new RevWalk(copy)) {
                    ParallelCheckout.write(copy, walk.parseCommit(id).getTree());
                }
                RefUpdate detached = copy.updateRef(Constants.HEAD, true);
                detached.setNewObjectId(id);
                detached.setRefLogMessage("quorum: workspace at " + commit.abbrev(), false);
                if (detached.forceUpdate() != RefUpdate.Result.FORCED && !id.equals(copy.resolve(Constants.HEAD))) {
                    throw new IOException("workspace HEAD is " + copy.resolve(Constants.HEAD) + " after checking out " + commit.hex());
                }
            }
        } catch (GitAPIException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Packs first, each with its index after it (a pack without its index is not read yet), then loose objects. Files
     * a fetch is still writing (temporary names) are not copied; packs and loose objects are never changed once named.
     */
    private static void copyObjects(Path from, Path to) throws IOException {
        Path packs = from.resolve("pack");
        if (Files.isDirectory(packs)) {
            Files.createDirectories(to.resolve("pack"));
            try (Stream<Path> files = Files.list(packs)) {
                for (Path pack : files.filter(p -> PACK.matcher(p.getFileName().toString()).matches()).toList()) {
                    Path index = pack.resolveSibling(pack.getFileName().toString().replaceFirst("\\.pack$", ".idx"));
                    if (!Files.exists(index)) continue;
                    Files.copy(pack, to.resolve("pack").resolve(pack.getFileName()));
                    Files.copy(index, to.resolve("pack").resolve(index.getFileName()));
                }
            }
        }
        try (Stream<Path> dirs = Files.list(from)) {
            for (Path dir : dirs.filter(p -> p.getFileName().toString().matches("[0-9a-f]{2}")).toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path loose : files.toList()) {
                        String name = dir.getFileName() + "/" + loose.getFileName();
                        if (!LOOSE.matcher(name).matches()) continue;
                        Files.createDirectories(to.resolve(dir.getFileName().toString()));
                        Files.copy(loose, to.resolve(name));
                    }
                }
            }
        }
    }

    /** Every ref of the mirror, as {@code refs/quorum-source/<name without refs/>}, in one batch; refs to objects not copied are left out. */
    private static void copyRefs(Repository mirror, Repository copy) throws IOException {
        List<ReceiveCommand> commands = new ArrayList<>();
        for (Ref ref : mirror.getRefDatabase().getRefsByPrefix(Constants.R_REFS)) {
            if (ref.getObjectId() == null || !copy.getObjectDatabase().has(ref.getObjectId())) continue;
            commands.add(new ReceiveCommand(ObjectId.zeroId(), ref.getObjectId(),
                    "refs/quorum-source/" + ref.getName().substring(Constants.R_REFS.length())));
        }
        BatchRefUpdate batch = copy.getRefDatabase().newBatchUpdate().setAllowNonFastForwards(true).addCommand(commands);
        try (RevWalk walk = new RevWalk(copy)) {
            batch.execute(walk, NullProgressMonitor.INSTANCE);
        }
        for (ReceiveCommand command : commands) {
            if (command.getResult() != ReceiveCommand.Result.OK) {
                throw new IOException("could not set " + command.getRefName() + " in the workspace: " + command.getResult());
            }
        }
    }
}
