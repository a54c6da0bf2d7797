package dev.quorum.evidence;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Turns what a user typed ({@code main}, {@code feature/greeting}, {@code v1.2}, a full or
 * abbreviated SHA) into the full SHA of a commit, with JGit only: no shell ever sees the ref.
 *
 * <p>Accepted: {@code HEAD}, or letters, digits and {@code . _ / -} forming a valid git ref
 * name, at most {@value #MAX_REF_LENGTH} characters. Revision expressions ({@code main~1},
 * {@code @{u}}) and anything with shell syntax are refused before the repository is opened.
 * Names win over hex, as in git: a branch called {@code cafe} beats a commit {@code cafe…}. An
 * annotated tag resolves to its commit.
 *
 * <p>Stateless and thread-safe; each call opens the repository read-only and closes it.
 */
public final class RefResolver {

    static final int MAX_REF_LENGTH = 200;
    private static final int MIN_ABBREVIATION = 4;
    private static final Pattern SAFE_REF = Pattern.compile("[A-Za-z0-9._/-]+");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{" + MIN_ABBREVIATION + ",40}");

    private RefResolver() {
    }

    /**
     * The full, lower-case SHA of the commit {@code ref} names in the repository at {@code repoDir}.
     *
     * @param repo the repository's configured name, for messages
     * @throws RefResolutionException when the ref is invalid, unknown or ambiguous, or the
     *                                repository cannot be read
     */
    public static String resolve(String repo, Path repoDir, String ref) throws RefResolutionException {
        checkSyntax(ref);
        try (Git git = Git.open(repoDir.toFile())) {
            Repository repository = git.getRepository();
            Ref named = repository.findRef(ref);
            if (named != null) {
                ObjectId target = named.getObjectId();
                if (target == null) {
                    throw new RefResolutionException("ref '" + ref + "' in repo " + repo + " points at nothing yet");
                }
                return commitOf(repository, target, ref, repo);
            }
            if (HEX.matcher(ref).matches()) {
                return commitOf(repository, uniqueObject(repository, ref, repo), ref, repo);
            }
            throw new RefResolutionException("unknown ref '" + ref + "' in repo " + repo);
        } catch (IOException e) {
            throw new RefResolutionException("cannot read repo " + repo + " to resolve '" + ref + "': " + e.getMessage(), e);
        }
    }

    private static void checkSyntax(String ref) throws RefResolutionException {
        if (ref == null || ref.isEmpty()) {
            throw new RefResolutionException("empty ref: give a branch, tag or commit SHA");
        }
        String shown = ref.length() <= 60 ? ref : ref.substring(0, 60) + "…";
        if (ref.length() > MAX_REF_LENGTH) {
            throw new RefResolutionException("invalid ref '" + shown + "': longer than " + MAX_REF_LENGTH + " characters");
        }
        if (!SAFE_REF.matcher(ref).matches()) {
            throw new RefResolutionException("invalid ref '" + shown
                    + "': only letters, digits and . _ / - are allowed");
        }
        if (!ref.equals("HEAD") && !Repository.isValidRefName("refs/heads/" + ref)) {
            throw new RefResolutionException("invalid ref '" + shown + "': not a valid git ref name");
        }
    }

    private static ObjectId uniqueObject(Repository repository, String hex, String repo)
            throws IOException, RefResolutionException {
        try (ObjectReader reader = repository.newObjectReader()) {
            Collection<ObjectId> matches = reader.resolve(AbbreviatedObjectId.fromString(hex.toLowerCase()));
            if (matches.isEmpty()) {
                throw new RefResolutionException("unknown ref '" + hex + "' in repo " + repo);
            }
            if (matches.size() > 1) {
                throw new RefResolutionException("ambiguous ref '" + hex + "' in repo " + repo + ": matches "
                        + matches.size() + " objects; give more digits");
            }
            return matches.iterator().next();
        }
    }

    private static String commitOf(Repository repository, ObjectId id, String ref, String repo)
            throws IOException, RefResolutionException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(id); // peels annotated tags
            return commit.name();
        } catch (MissingObjectException e) {
            throw new RefResolutionException("unknown ref '" + ref + "' in repo " + repo, e);
        } catch (IncorrectObjectTypeException e) {
            throw new RefResolutionException("ref '" + ref + "' in repo " + repo + " is not a commit", e);
        }
    }
}
