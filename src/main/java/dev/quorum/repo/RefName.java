package dev.quorum.repo;

import org.eclipse.jgit.lib.Repository;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * What a user may type for a commit, checked before any repository is asked: {@code HEAD}, a
 * branch ({@code main}, {@code feature/greeting}, a coding run's {@code quorum/R12}), a tag
 * ({@code v1.2}) or a full or abbreviated SHA — letters, digits and {@code . _ / -} forming a
 * valid git ref name, at most {@value #MAX_LENGTH} characters. Revision expressions
 * ({@code main~1}, {@code @{u}}) and anything with shell syntax are refused, so no host and no
 * shell ever sees them. The one grammar every {@link RepoHost} resolves: names win over hex, as
 * in git (a branch called {@code cafe} beats a commit {@code cafe…}), tags before branches.
 *
 * @param text the name as typed
 */
public record RefName(String text) {
    public static final int MAX_LENGTH = 200;
    /** The branches coding runs commit on, {@code quorum/<request id>}; the only ones a host lets an agent push. */
    public static final String AGENT_BRANCH_PREFIX = "quorum/";
    private static final int MIN_ABBREVIATION = 4;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/-]+");
    private static final Pattern PULL_REQUEST = Pattern.compile("#[1-9][0-9]{0,8}");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{" + MIN_ABBREVIATION + ",40}");

    /** Use {@link #parse}; the constructor checks nothing so records can be compared freely. */
    public RefName {
    }

    /**
     * {@code text} as a ref name, or the reason it is not one (the texts users see).
     *
     * @throws RefResolutionException when it is empty, too long, has other characters, or is no valid git ref name
     */
    public static RefName parse(String text) throws RefResolutionException {
        if (text == null || text.isEmpty()) {
            throw new RefResolutionException("empty ref: give a branch, tag or commit SHA");
        }
        String shown = text.length() <= 60 ? text : text.substring(0, 60) + "…";
        if (text.length() > MAX_LENGTH) {
            throw new RefResolutionException("invalid ref '" + shown + "': longer than " + MAX_LENGTH + " characters");
        }
        if (!SAFE.matcher(text).matches()) {
            throw new RefResolutionException("invalid ref '" + shown + "': only letters, digits and . _ / - are allowed");
        }
        if (!text.equals("HEAD") && !Repository.isValidRefName("refs/heads/" + text)) {
            throw new RefResolutionException("invalid ref '" + shown + "': not a valid git ref name");
        }
        return new RefName(text);
    }

    /**
     * The pull request {@code text} names, {@code #123} (SPEC §3: on a repository whose host has pull
     * requests, wherever a ref or request id is taken); empty for anything else. Not a git ref: hosts
     * never resolve it, {@link PullRequests#find} does.
     */
    public static OptionalInt pullRequest(String text) {
        if (text == null || !PULL_REQUEST.matcher(text).matches()) return OptionalInt.empty();
        return OptionalInt.of(Integer.parseInt(text.substring(1)));
    }

    /** Whether, when no ref has this name, it may be read as an (abbreviated) SHA. */
    public boolean couldBeSha() {
        return HEX.matcher(text).matches();
    }

    /** Whether this is a coding run's branch. */
    public boolean isAgentBranch() {
        return isAgentBranch(text);
    }

    /** Whether {@code branch} is a coding run's branch, {@code quorum/<id>}. */
    public static boolean isAgentBranch(String branch) {
        return branch.startsWith(AGENT_BRANCH_PREFIX) && branch.length() > AGENT_BRANCH_PREFIX.length();
    }

    @Override
    public String toString() {
        return text;
    }
}
