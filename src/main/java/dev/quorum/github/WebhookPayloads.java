package dev.quorum.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.repo.Sha;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an authenticated webhook payload into a {@link GitHubEvent}, or says why it is of no use
 * to Quorum. Pure: no I/O, no state; the webhook decides what to store.
 */
final class WebhookPayloads {
    /** {@code /quorum} at the very start of the comment's first line; a quoted {@code > /quorum} is not a command. */
    private static final Pattern COMMAND = Pattern.compile("\\A[ \\t]*/quorum(?:[ \\t]+([^\\r\\n]*))?[ \\t]*(?:\\r?\\n|\\z)");

    /** What a payload meant. */
    sealed interface Reading {
        record Accepted(GitHubEvent event) implements Reading {}

        record Ignored(String why) implements Reading {}
    }

    /** @param repos {@code owner/repo}, lower case, to the Quorum repo name it is configured as */
    private final Map<String, String> repos;

    WebhookPayloads(Map<String, String> repos) {
        this.repos = Map.copyOf(repos);
    }

    Reading read(String type, String delivery, JsonNode payload) {
        String fullName = payload.path("repository").path("full_name").asText("");
        String repo = repos.get(fullName.toLowerCase(Locale.ROOT));
        if (repo == null) return ignored("repository '" + fullName + "' is not configured in repos");
        String action = payload.path("action").asText("");
        return switch (type) {
            case "pull_request" -> pullRequest(repo, delivery, action, payload);
            case "issue_comment" -> comment(repo, delivery, action, payload);
            case "pull_request_review" -> review(repo, delivery, action, payload);
            case "push" -> push(repo, delivery, payload);
            default -> ignored("event " + type + " is not used");
        };
    }

    /**
     * The event type header is not signed: each reading insists on its own type's fields, so that a
     * signed body of one type, sent again as another, reads as nothing.
     */
    private static Reading push(String repo, String delivery, JsonNode payload) {
        String ref = payload.path("ref").asText("");
        var before = Sha.parse(payload.path("before").asText(""));
        var after = Sha.parse(payload.path("after").asText(""));
        if (!ref.startsWith("refs/") || before.isEmpty() || after.isEmpty()) return ignored("push without ref, before and after");
        return new Reading.Accepted(new GitHubEvent.Push(repo, delivery, ref, before.get(), after.get(), payload.path("forced").asBoolean()));
    }

    private static Reading pullRequest(String repo, String delivery, String action, JsonNode payload) {
        JsonNode pr = payload.path("pull_request");
        int number = pr.path("number").asInt();
        var head = Sha.parse(pr.path("head").path("sha").asText(""));
        if (number < 1 || head.isEmpty()) return ignored("pull_request without number and head");
        GitHubEvent.Change change = switch (action) {
            case "closed" -> pr.path("merged").asBoolean()
                    ? new GitHubEvent.Change.Merged(Sha.parse(pr.path("merge_commit_sha").asText("")).orElse(null))
                    : new GitHubEvent.Change.Closed();
            case "synchronize" -> new GitHubEvent.Change.Synchronized(head.get());
            case "edited" -> payload.path("changes").has("base")
                    ? new GitHubEvent.Change.BaseChanged(payload.path("changes").path("base").path("ref").path("from").asText(),
                            pr.path("base").path("ref").asText())
                    : null;
            default -> null;
        };
        if (change == null) return ignored("pull_request " + action + " changes nothing Quorum binds to");
        return new Reading.Accepted(new GitHubEvent.PullRequestChanged(repo, delivery, number, change));
    }

    private static Reading comment(String repo, String delivery, String action, JsonNode payload) {
        JsonNode issue = payload.path("issue");
        JsonNode comment = payload.path("comment");
        if (!"created".equals(action)) return ignored("issue_comment " + action + ": only new comments are commands");
        if (!issue.has("pull_request") || issue.path("number").asInt() < 1) return ignored("a comment on an issue, not a pull request");
        if (Accounts.isBot(comment.path("user"))) return ignored("a comment by the bot account " + comment.path("user").path("login").asText());
        String body = comment.path("body").asText("");
        Matcher m = COMMAND.matcher(body);
        if (!m.lookingAt()) return ignored("a comment without /quorum");
        return new Reading.Accepted(new GitHubEvent.IssueComment(repo, delivery, issue.path("number").asInt(),
                comment.path("user").path("login").asText(), comment.path("id").asLong(),
                m.group(1) == null ? "" : m.group(1).strip(), body));
    }

    private static Reading review(String repo, String delivery, String action, JsonNode payload) {
        JsonNode review = payload.path("review");
        if (!"submitted".equals(action) && !"dismissed".equals(action)) return ignored("pull_request_review '" + action + "' is not a vote");
        var commit = Sha.parse(review.path("commit_id").asText(""));
        if (payload.path("pull_request").path("number").asInt() < 1 || commit.isEmpty()) {
            return ignored("pull_request_review without pull request and commit");
        }
        if (Accounts.isBot(review.path("user"))) return ignored("a review by the bot account " + review.path("user").path("login").asText());
        String state = "dismissed".equals(action) ? "dismissed" : review.path("state").asText("").toLowerCase(Locale.ROOT);
        return new Reading.Accepted(new GitHubEvent.Review(repo, delivery, payload.path("pull_request").path("number").asInt(),
                review.path("user").path("login").asText(), state, commit.get()));
    }

    private static Reading ignored(String why) {
        return new Reading.Ignored(why);
    }
}
