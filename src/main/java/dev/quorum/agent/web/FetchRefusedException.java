package dev.quorum.agent.web;

/** A URL fetch_url will not fetch (scheme, host not on the allowlist, redirect elsewhere); the message says which. */
public final class FetchRefusedException extends Exception {

    public FetchRefusedException(String message) {
        super(message, null, false, false);
    }
}
