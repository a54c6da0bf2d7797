package dev.quorum.github;

/** {@code GET /repos/{o}/{r}}: what Quorum clones ({@code clone_url}, HTTPS) and its default branch. */
public record Repository(String fullName, String cloneUrl, String defaultBranch, boolean isPrivate) {}
