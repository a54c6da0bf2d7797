package dev.quorum.repo;

import java.util.Objects;

/**
 * The change a request is about, from one commit of a repository to another, with what each end
 * is called for people.
 *
 * @param repo      the repository's name
 * @param from      the commit before, or {@code null} when there is none (the first deploy to an environment)
 * @param fromLabel what {@code from} is, e.g. {@code main}, {@code staging (deployed)}
 * @param to        the commit after
 * @param toLabel   what {@code to} is, e.g. {@code the merge result}, {@code quorum/R7}
 * @param note      what a reader should know about the range, e.g. that nothing was deployed before; or {@code null}
 */
public record DiffRange(String repo, String from, String fromLabel, String to, String toLabel, String note) {
    public DiffRange {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(to, "to");
    }
}
