package dev.quorum.repo;

/**
 * A user-given ref could not be turned into a commit: it is not a valid ref, no ref or commit
 * has that name, or an abbreviated SHA matches several commits. The message is fit to show to
 * the user as it is and names the ref and the repository. Every {@link RepoHost} throws it with
 * the same texts (see {@link RefName} and {@link RepoHost#resolve}).
 */
public final class RefResolutionException extends Exception {

    public RefResolutionException(String message) {
        super(message);
    }

    public RefResolutionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code unknown ref 'x' in repo r}: the text every host uses when nothing has the name. */
    public static RefResolutionException unknown(String ref, String repo) {
        return new RefResolutionException("unknown ref '" + ref + "' in repo " + repo);
    }
}
