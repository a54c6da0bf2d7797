package dev.quorum.command;

import dev.quorum.repo.RepoHost;
import dev.quorum.request.Requests;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The replies for a name that names nothing: one wording for every command, each with a "did you
 * mean" when the name is a near-miss ({@link DidYouMean}) and the names that do exist when
 * there are few.
 */
public final class NotFound {
    private NotFound() {}

    /** {@code There is no request R99. Did you mean R9?} Reads Redis. */
    public static String request(Requests requests, String id) {
        List<String> near = DidYouMean.requestIds(id, candidate -> requests.find(candidate).isPresent());
        return "There is no request " + id + "." + (near.isEmpty() ? "" : " Did you mean " + String.join(" or ", near) + "?");
    }

    /** {@code There is no environment `stagin`. Did you mean `staging`? Environments: production, staging.} */
    public static String environment(String name, Collection<String> known) {
        return "There is no environment `" + CommandParser.shorten(name) + "`." + DidYouMean.hint(name, known)
                + (known.isEmpty() ? " None is configured." : " Environments: " + String.join(", ", new TreeSet<>(known)) + ".");
    }

    /** {@code There is no repo `dmeo`. Did you mean `demo`? Repos: demo.} */
    public static String repo(String name, Collection<String> known) {
        return "There is no repo `" + CommandParser.shorten(name) + "`." + DidYouMean.hint(name, known)
                + (known.isEmpty() ? " None is configured." : " Repos: " + String.join(", ", new TreeSet<>(known)) + ".");
    }

    /**
     * {@code test nosuchrepo}: the one word is a repo or a ref of the default repo, and this one
     * is neither; the hint is the nearest of both. Reads git.
     */
    public static String repoOrRef(String word, Collection<String> repos, RepoHost defaultRepo) throws IOException {
        List<String> names = new ArrayList<>(repos);
        names.addAll(defaultRepo.refNames(true));
        return "`" + CommandParser.shorten(word) + "` is neither a repo nor a branch, tag or commit of " + defaultRepo.name() + "."
                + DidYouMean.hint(word, names) + " Repos: " + String.join(", ", new TreeSet<>(repos)) + ".";
    }

    /** {@code There is no branch `featur` in repo demo. Did you mean `feature/greeting`?} Reads git. */
    public static String branch(String branch, RepoHost repo) throws IOException {
        return "There is no branch `" + CommandParser.shorten(branch) + "` in repo " + repo.name() + "."
                + DidYouMean.hint(branch, repo.refNames(false));
    }

    /**
     * What to say when {@code ref} did not resolve to a commit: that it does not exist (with a
     * hint), or the resolver's {@code problem} (ambiguous, not a commit) as a sentence. Reads git.
     */
    public static String unresolved(String ref, RepoHost repo, String problem) throws IOException {
        if (problem.startsWith("unknown ref")) return ref(ref, repo);
        return Character.toUpperCase(problem.charAt(0)) + problem.substring(1) + (problem.endsWith(".") ? "" : ".");
    }

    /** {@code There is no branch, tag or commit `featur` in repo demo. Did you mean `feature/greeting`?} Reads git. */
    public static String ref(String ref, RepoHost repo) throws IOException {
        return "There is no branch, tag or commit `" + CommandParser.shorten(ref) + "` in repo " + repo.name() + "."
                + DidYouMean.hint(ref, repo.refNames(true));
    }
}
