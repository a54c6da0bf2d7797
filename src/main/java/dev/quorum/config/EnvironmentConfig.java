package dev.quorum.config;

import java.time.Duration;

/**
 * A deployment target. Exactly one of {@code command} or {@code webhook} says how to deploy.
 *
 * @param repo    the repository deployed; defaults to {@code default_repo}
 * @param command run with {@code /bin/sh -c} in a checkout of the deployed commit, with
 *                {@code QUORUM_ENV}, {@code QUORUM_REF} and {@code QUORUM_SHA} set
 * @param webhook an HTTP endpoint that receives the deployment as signed JSON
 * @param timeout the deploy is killed (or the webhook abandoned) after this
 */
public record EnvironmentConfig(String repo, String command, Webhook webhook, Duration timeout) {
    public EnvironmentConfig {
        timeout = timeout == null ? Duration.ofMinutes(10) : timeout;
    }

    /**
     * @param url     receives {@code POST} with a JSON body
     * @param secret  HMAC-SHA256 key for the {@code X-Quorum-Signature} header
     * @param retries attempts after the first, with exponential backoff
     * @param backoff the wait before the first retry; doubles each time
     */
    public record Webhook(String url, String secret, Integer retries, Duration backoff) {
        public Webhook {
            retries = retries == null ? 3 : retries;
            backoff = backoff == null ? Duration.ofSeconds(1) : backoff;
        }
    }
}
