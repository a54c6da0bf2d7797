package dev.quorum.evidence;

/**
 * A user-given ref could not be turned into a commit: it is not a valid ref, no ref or commit
 * has that name, or an abbreviated SHA matches several commits. The message is fit to show to
 * the user as it is and names the ref and the repository.
 */
public final class RefResolutionException extends Exception {

    RefResolutionException(String message) {
        super(message);
    }

    RefResolutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
