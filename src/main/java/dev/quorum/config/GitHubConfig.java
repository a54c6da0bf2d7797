package dev.quorum.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Quorum's GitHub side (issue 12): where the REST API is, how Quorum authenticates, and how it
 * checks GitHub's webhooks. Secrets are never written here, only references to where they are:
 * {@code env:NAME} (an environment variable) or {@code file:/absolute/path} (a file's contents,
 * trailing line break dropped), resolved when Quorum starts.
 *
 * @param apiUrl        REST base ({@code GITHUB_API_URL}); GitHub Enterprise: {@code https://HOST/api/v3/}
 * @param webhookSecret reference to the secret of {@code POST /github/webhook}; without it the route is not served
 * @param countReviews  an "Approve" review on the subject's head counts as the reviewer's vote
 * @param token         reference to a fine-grained personal access token ({@code GITHUB_TOKEN} sets {@code env:GITHUB_TOKEN})
 * @param app           a GitHub App installation instead of a token
 */
public record GitHubConfig(String apiUrl, String webhookSecret, Boolean countReviews, String token, App app) {
    public static final String DEFAULT_API_URL = "https://api.github.com/";

    public GitHubConfig {
        apiUrl = apiUrl == null || apiUrl.isBlank() ? DEFAULT_API_URL : apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
        countReviews = countReviews != null && countReviews;
    }

    /**
     * The config file's form. SPEC §10 names the App's keys {@code github.app_id},
     * {@code github.private_key_file} and {@code github.installation_id}; {@code github.app: {id,
     * private_key_file, installation_id}} is accepted too. Giving both is refused, as two answers
     * to one question.
     */
    @JsonCreator
    static GitHubConfig fromFile(@JsonProperty("api_url") String apiUrl, @JsonProperty("webhook_secret") String webhookSecret,
                                 @JsonProperty("count_reviews") Boolean countReviews, @JsonProperty("token") String token,
                                 @JsonProperty("app") App app, @JsonProperty("app_id") Long appId,
                                 @JsonProperty("private_key_file") String privateKeyFile,
                                 @JsonProperty("installation_id") Long installationId) {
        boolean flat = appId != null || privateKeyFile != null || installationId != null;
        if (flat && app != null) {
            throw new ConfigException("github.app", null, "give the GitHub App once: app_id, private_key_file and installation_id, or app: {…}, not both");
        }
        return new GitHubConfig(apiUrl, webhookSecret, countReviews, token, flat ? new App(appId, privateKeyFile, installationId) : app);
    }

    public static GitHubConfig defaults() {
        return new GitHubConfig(null, null, null, null, null);
    }

    /**
     * A GitHub App's installation: Quorum signs a JWT with the private key and trades it for
     * installation tokens.
     *
     * @param id             the App ID (the app's settings page, "About")
     * @param privateKeyFile the PEM file downloaded from "Private keys" (PKCS#1 or PKCS#8)
     * @param installationId the number at the end of the installation's settings URL
     */
    public record App(Long id, String privateKeyFile, Long installationId) {}
}
