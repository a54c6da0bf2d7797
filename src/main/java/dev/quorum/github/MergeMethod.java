package dev.quorum.github;

import java.util.Locale;

/** How GitHub's merge API lands a pull request ({@code merge_method}). */
public enum MergeMethod {
    MERGE, SQUASH, REBASE;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
