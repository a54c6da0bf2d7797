package dev.quorum.github;

/** A comment Quorum posted on a pull request. */
public record Comment(long id, String htmlUrl) {}
