package dev.quorum.github;

import dev.quorum.github.GitHubEvent.Change;
import dev.quorum.repo.Sha;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static dev.quorum.github.GitHubDeliveries.SHA_A;
import static dev.quorum.github.GitHubDeliveries.SHA_B;
import static dev.quorum.github.GitHubDeliveries.comment;
import static dev.quorum.github.GitHubDeliveries.pullRequest;
import static dev.quorum.github.GitHubDeliveries.push;
import static dev.quorum.github.GitHubDeliveries.review;
import static org.assertj.core.api.Assertions.assertThat;

/** The payload rules, one named case each: what becomes an event, and why the rest does not. */
class WebhookPayloadsTest {
    private static final WebhookPayloads PAYLOADS = new WebhookPayloads(Map.of("acme/shop", "shop"));
    private static final String D = "d-1";

    static Stream<Arguments> cases() {
        JsonObject baseEdit = pullRequest("acme/shop", "edited", 7, false, SHA_A)
                .put("changes", new JsonObject().put("base", new JsonObject().put("ref", new JsonObject().put("from", "develop"))));
        JsonObject issueComment = comment("acme/shop", 3, "alice", "/quorum approve R1");
        issueComment.getJsonObject("issue").remove("pull_request");
        return Stream.of(
                Arguments.of("closed without merging", "pull_request", pullRequest("acme/shop", "closed", 7, false, SHA_A),
                        new WebhookPayloads.Reading.Accepted(new GitHubEvent.PullRequestChanged("shop", D, 7, new Change.Closed()))),
                Arguments.of("merged elsewhere", "pull_request", pullRequest("acme/shop", "closed", 7, true, SHA_A),
                        new WebhookPayloads.Reading.Accepted(new GitHubEvent.PullRequestChanged("shop", D, 7, new Change.Merged(new Sha(SHA_B))))),
                Arguments.of("a push to its head", "pull_request", pullRequest("acme/shop", "synchronize", 7, false, SHA_A),
                        new WebhookPayloads.Reading.Accepted(new GitHubEvent.PullRequestChanged("shop", D, 7, new Change.Synchronized(new Sha(SHA_A))))),
                Arguments.of("its base changed", "pull_request", baseEdit,
                        new WebhookPayloads.Reading.Accepted(new GitHubEvent.PullRequestChanged("shop", D, 7, new Change.BaseChanged("develop", "main")))),
                Arguments.of("its title edited", "pull_request", pullRequest("acme/shop", "edited", 7, false, SHA_A),
                        new WebhookPayloads.Reading.Ignored("pull_request edited changes nothing Quorum binds to")),
                Arguments.of("labelled", "pull_request", pullRequest("acme/shop", "labeled", 7, false, SHA_A),
                        new WebhookPayloads.Reading.Ignored("pull_request labeled changes nothing Quorum binds to")),
                Arguments.of("a /quorum comment", "issue_comment", comment("acme/shop", 7, "alice", "/quorum approve R12\nlooks good"),
                        new WebhookPayloads.Reading.Accepted(new GitHubEvent.IssueComment("shop", D, 7, "alice", 555, "approve R12", "/quorum approve R12\nlooks good"))),
                Arguments.of("/quorum alone", "issue_comment", comment("acme/shop", 7, "alice", "  /quorum"),
                        new WebhookPayloads.Reading.Accepted(new GitHubEvent.IssueComment("shop", D, 7, "alice", 555, "", "  /quorum"))),
                Arguments.of("a quoted /quorum", "issue_comment", comment("acme/shop", 7, "alice", "> /quorum approve R12\nwhy?"),
                        new WebhookPayloads.Reading.Ignored("a comment without /quorum")),
                Arguments.of("/quorumx is another word", "issue_comment", comment("acme/shop", 7, "alice", "/quorumx approve R12"),
                        new WebhookPayloads.Reading.Ignored("a comment without /quorum")),
                Arguments.of("a command by a bot", "issue_comment", comment("acme/shop", 7, "renovate[bot]", "/quorum approve R12"),
                        new WebhookPayloads.Reading.Ignored("a comment by the bot account renovate[bot]")),
                Arguments.of("a comment on an issue", "issue_comment", issueComment,
                        new WebhookPayloads.Reading.Ignored("a comment on an issue, not a pull request")),
                Arguments.of("an approving review", "pull_request_review", review("acme/shop", 7, "bob", "APPROVED", SHA_A),
                        new WebhookPayloads.Reading.Accepted(new GitHubEvent.Review("shop", D, 7, "bob", "approved", new Sha(SHA_A)))),
                Arguments.of("a push", "push", push("acme/shop", "refs/heads/main", SHA_B, SHA_A),
                        new WebhookPayloads.Reading.Accepted(new GitHubEvent.Push("shop", D, "refs/heads/main", new Sha(SHA_B), new Sha(SHA_A), false))),
                Arguments.of("another repository (names ignore case)", "push", push("Acme/Other", "refs/heads/main", SHA_B, SHA_A),
                        new WebhookPayloads.Reading.Ignored("repository 'Acme/Other' is not configured in repos")),
                Arguments.of("the repository in another case", "push", push("ACME/Shop", "refs/heads/main", SHA_B, SHA_A),
                        new WebhookPayloads.Reading.Accepted(new GitHubEvent.Push("shop", D, "refs/heads/main", new Sha(SHA_B), new Sha(SHA_A), false))),
                Arguments.of("a signed comment relabelled as a push", "push", comment("acme/shop", 7, "alice", "/quorum approve R1"),
                        new WebhookPayloads.Reading.Ignored("push without ref, before and after")),
                Arguments.of("a signed push relabelled as a review", "pull_request_review", push("acme/shop", "refs/heads/main", SHA_B, SHA_A),
                        new WebhookPayloads.Reading.Ignored("pull_request_review '' is not a vote")),
                Arguments.of("an event Quorum does not use", "star", push("acme/shop", "refs/heads/main", SHA_B, SHA_A),
                        new WebhookPayloads.Reading.Ignored("event star is not used")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reads(String name, String type, JsonObject payload, WebhookPayloads.Reading expected) throws Exception {
        assertThat(PAYLOADS.read(type, D, GitHubHttp.JSON.readTree(payload.encode()))).isEqualTo(expected);
    }
}
