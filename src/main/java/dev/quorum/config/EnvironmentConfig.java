package dev.quorum.config;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deployment target. Exactly one of {@code command} or {@code webhook} says how to deploy.
 *
 * @param repo    the repository deployed; defaults to {@code default_repo}
 * @param command run with {@code /bin/sh -c} in a checkout of the deployed commit, with
 *                {@code QUORUM_ENV}, {@code QUORUM_REF} and {@code QUORUM_SHA} set
 * @param webhook an HTTP endpoint that receives the deployment as signed JSON
 * @param timeout the deploy is killed (or the webhook abandoned) after this
 * @param refs    globs over full ref names ({@code refs/tags/v*}) whose commits may be deployed
 *                although they are not on the repo's default branch; none by default
 * @param env     names of Quorum's environment variables passed to this environment's deploy
 *                command only (never to a test run)
 * @param secrets variable name to the file holding its value, read at deploy time, passed to the
 *                deploy command only and masked in its log
 */
public record EnvironmentConfig(String repo, String command, Webhook webhook, Duration timeout, List<String> refs,
                                List<String> env, Map<String, String> secrets) {
    public EnvironmentConfig {
        timeout = timeout == null ? Duration.ofMinutes(10) : timeout;
        refs = refs == null ? List.of() : List.copyOf(refs);
        env = env == null ? List.of() : List.copyOf(env);
        secrets = secrets == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(secrets));
    }

    /** Whether the environment deploys by running a command (else by its webhook). */
    public boolean byCommand() {
        return command != null && !command.isBlank();
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
