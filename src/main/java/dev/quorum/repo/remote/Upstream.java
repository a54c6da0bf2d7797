package dev.quorum.repo.remote;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a mirror fetches from and pushes to, and the login it sends: both asked afresh for every fetch and push, so
 * an address learnt late (GitHub's {@code clone_url}) or a login that expires (a GitHub App's installation token, an
 * hour) is never cached by the mirror. Implementations are thread-safe and block.
 */
public interface Upstream {
    /** The git server's address now; {@link RemoteAddress}'s rules apply to it before any transport sees it. */
    String url() throws IOException;

    /** The user and password (or token) to send now, or empty for a public repository. */
    Optional<Login> login() throws IOException;

    /** Where the login comes from, for messages ({@code env:GIT_TOKEN}, "GitHub App installation 9"); never the secret. */
    String loginSource();

    /**
     * The server refused {@code login}. True when a new one may be tried once (an App's token revoked or expired
     * early is replaced); false, the default, when there is nothing else to send.
     */
    default boolean refused(Login login) {
        return false;
    }

    /** A user name and a password (or token) for the transport. */
    record Login(String user, String password) {
        @Override
        public String toString() {
            return "Login[" + user + ", ***]";
        }
    }
}
