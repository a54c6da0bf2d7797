package dev.quorum.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.evidence.LearnedSecrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How Quorum proves who it is to GitHub: a fine-grained token, or a GitHub App installation whose
 * tokens (an hour each) are fetched with the App's JWT, cached, and fetched again
 * {@link AppInstallation#REFRESH_MARGIN} before they expire. Each minted token is a {@link LearnedSecrets}: masked in
 * every log Quorum keeps or posts. Thread-safe.
 */
sealed interface Credentials {
    /** The token API and git calls use now; an App may fetch a new one first. */
    String token(GitHubHttp http);

    /** GitHub refused {@code token}: an App forgets it so the next call fetches another. */
    void refused(String token);

    /** Where the token comes from, for messages: {@code github.token} or {@code GitHub App installation 9}. */
    String source();

    record PersonalToken(String value) implements Credentials {
        @Override
        public String token(GitHubHttp http) {
            return value;
        }

        @Override
        public void refused(String token) {
            // a personal token cannot be renewed by Quorum; the error says GitHub refused it
        }

        @Override
        public String source() {
            return "github.token";
        }

        @Override
        public String toString() {
            return "PersonalToken[***]";
        }
    }

    final class AppInstallation implements Credentials {
        static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);

        private final AppJwt jwt;
        private final long installationId;
        private final Clock clock;
        /** A lock, not {@code synchronized}: callers are virtual threads and the fetch does I/O. */
        private final ReentrantLock lock = new ReentrantLock();
        private String cached;
        private Instant expiresAt = Instant.MIN;

        AppInstallation(AppJwt jwt, long installationId, Clock clock) {
            this.jwt = jwt;
            this.installationId = installationId;
            this.clock = clock;
        }

        @Override
        public String token(GitHubHttp http) {
            lock.lock();
            try {
                if (cached == null || !clock.instant().isBefore(expiresAt.minus(REFRESH_MARGIN))) fetch(http);
                return cached;
            } finally {
                lock.unlock();
            }
        }

        private void fetch(GitHubHttp http) {
            String path = "app/installations/" + installationId + "/access_tokens";
            GitHubHttp.Answer a = http.call("POST", path, "Bearer " + jwt.sign(), null);
            if (a.status() >= 500) { // GitHub's trouble, not the App's settings
                throw new GitHubException(a.status(), "GitHub could not give an installation token for installation " + installationId
                        + " (" + a.status() + ": " + a.message() + "); try again later");
            }
            if (a.status() != 201) {
                throw new GitHubException(a.status(), "GitHub refused an installation token for installation " + installationId
                        + " (" + a.status() + ": " + a.message() + "); check github.app.id, installation_id and the private key");
            }
            JsonNode token = a.body().path("token");
            if (!token.isTextual() || token.asText().isBlank()) throw new GitHubException(a.status(), "GitHub's installation token answer had no token");
            Instant expires;
            try {
                expires = Instant.parse(a.body().path("expires_at").asText());
            } catch (DateTimeParseException e) {
                expires = clock.instant().plus(REFRESH_MARGIN); // unknown: use it once, then ask again
            }
            cached = token.asText();
            expiresAt = expires;
            LearnedSecrets.learn(cached); // masked in every log from now on, not only by the ghs_ shape

        }

        @Override
        public void refused(String token) {
            lock.lock();
            try {
                if (token.equals(cached)) cached = null;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String source() {
            return "GitHub App installation " + installationId;
        }

        @Override
        public String toString() {
            return "AppInstallation[" + installationId + "]";
        }
    }
}
