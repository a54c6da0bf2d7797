package dev.quorum.github;

/**
 * Where the webhook hands the events it accepted: the port the rest of Quorum implements (stale
 * requests, PR comments as commands, reviews as votes). Called on a virtual thread, once per
 * delivery id however often GitHub delivers it; may block. An exception makes the webhook answer
 * 500 and forget the delivery, so GitHub's redelivery is handled again.
 */
@FunctionalInterface
public interface GitHubEvents {
    /** Acts on nothing: until requests act on GitHub's events, they are only audited. */
    GitHubEvents IGNORE = event -> {};

    void accept(GitHubEvent event) throws Exception;
}
