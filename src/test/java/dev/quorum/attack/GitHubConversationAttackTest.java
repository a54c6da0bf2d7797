package dev.quorum.attack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.approval.Vote;
import dev.quorum.chat.github.PullRequestWorld;
import dev.quorum.chat.github.RenderedMarkdown;
import dev.quorum.github.GitHubDeliveries;
import dev.quorum.request.RequestState;
import dev.quorum.testing.Suites;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Someone on GitHub against Quorum's pull request conversation, end to end ({@link PullRequestWorld}: a whole Quorum,
 * FakeGitHub with a real git server, signed webhook deliveries): a bot's command, a vote said in another repository's
 * pull request of the same number, a review of a commit the votes are not about, a forged and a replayed vote, a
 * stranger's command, an old "closed" redelivered after a reopen, and text that tries to mention, link or mark up
 * through what Quorum echoes. Each one changes no vote and no request, and is answered (or not) as it should be.
 */
class GitHubConversationAttackTest {
    @TempDir
    Path dir;
    private PullRequestWorld w;

    @BeforeEach
    void aMergeAwaitsVotesInThePullRequest() throws Exception {
        w = PullRequestWorld.start(dir, Suites.passing(2), "");
        w.comment("alice", "/quorum merge #" + w.pr);
        w.awaitSaid(w.pr, body -> body.contains("awaiting approval"));
    }

    @AfterEach
    void stop() throws Exception {
        if (w != null) w.close();
    }

    private HttpResponse<String> deliver(String event, JsonObject payload) {
        return w.github.deliver(event, payload);
    }

    /** carol's {@code help} is answered: what was delivered before it has been handled (and a grace for work begun with it). */
    private void afterEverythingBefore() throws Exception {
        long helps = w.said(w.pr).stream().filter(b -> b.startsWith("I am Quorum.")).count();
        w.comment("carol", "/quorum help");
        PullRequestWorld.await(() -> w.said(w.pr).stream().filter(b -> b.startsWith("I am Quorum.")).count() > helps ? true : null, "the marker");
        Thread.sleep(300);
    }

    private List<String> audit(String type) throws Exception {
        JsonNode entries = w.q.get("/api/audit?limit=1000", Map.of("X-Quorum-User", "alice")).json().path("entries");
        return StreamSupport.stream(entries.spliterator(), false).filter(e -> e.path("type").asText().equals(type))
                .map(JsonNode::toString).toList();
    }

    @Test
    void aBotsApprovalCommentIsNoVote() throws Exception {
        JsonObject disguised = GitHubDeliveries.comment("acme/shop", w.pr, "bob", "/quorum approve R1");
        disguised.getJsonObject("comment").getJsonObject("user").put("type", "Bot"); // an app using a person's login

        w.comment("release-bot[bot]", "/quorum approve R1");
        HttpResponse<String> answer = deliver("issue_comment", disguised);

        assertThat(new JsonObject(answer.body()).getString("ignored")).isEqualTo("a comment by the bot account bob");
        afterEverythingBefore();
        assertThat(w.votes("R1")).isEmpty();
        assertThat(w.said(w.pr)).noneMatch(b -> b.contains("approved R1") || b.contains("@release-bot"));
    }

    @Test
    void aVoteInAnotherRepositorysPullRequestOfTheSameNumberDoesNotCount() throws Exception {
        w.github.addPull("acme", "web", w.pr, "feature/x", w.head, "main", w.head, "mallory");

        w.github.repo("acme", "web").comment(w.pr, "bob", "/quorum approve R1");

        String refusal = PullRequestWorld.await(() -> w.github.comments("acme", "web", w.pr).stream().map(c -> c.getString("body"))
                .filter(b -> b.startsWith("@bob")).findFirst().orElse(null), "the refusal in web's pull request");
        assertThat(refusal).isEqualTo("@bob ❌ Votes on R1 count only where the team sees them: in the channel where it was proposed "
                + "(github), in the comments of pull request \\#&#8203;" + w.pr + ", or on its card in the Quorum console.");
        assertThat(w.votes("R1")).isEmpty();
        HttpResponse<String> elsewhere = deliver("issue_comment", GitHubDeliveries.comment("evil/shop", w.pr, "bob", "/quorum approve R1"));
        assertThat(new JsonObject(elsewhere.body()).getString("ignored")).isEqualTo("repository 'evil/shop' is not configured in repos");
    }

    @Test
    void aReviewOfAnotherCommitIsNoVoteAndIsAudited() throws Exception {
        String base = w.shop.head("main").orElseThrow();

        w.shop.review(w.pr, "bob", "approved", base);

        assertThat(audit("github.review.ignored")).singleElement().asString()
                .contains("\"actor\":\"github:bob\"", "the review approves " + base.substring(0, 7) + ", but R1 merges " + w.head.substring(0, 7));
        afterEverythingBefore();
        assertThat(w.votes("R1")).isEmpty();
        assertThat(w.said(w.pr)).noneMatch(b -> b.contains("bob approved"));
    }

    @Test
    void aForgedVoteIsRefusedAndAReplayedOneCountsOnce() throws Exception {
        byte[] vote = GitHubDeliveries.comment("acme/shop", w.pr, "bob", "/quorum approve R1").encode().getBytes(StandardCharsets.UTF_8);
        String url = w.q.url("/github/webhook");

        HttpResponse<String> forged = GitHubDeliveries.post(w.q.http(), url,
                GitHubDeliveries.headers("a-guessed-secret", "issue_comment", GitHubDeliveries.newDelivery(), vote), vote);
        assertThat(forged.statusCode()).isEqualTo(401);
        HttpResponse<String> signed = GitHubDeliveries.post(w.q.http(), url,
                GitHubDeliveries.headers(PullRequestWorld.SECRET, "issue_comment", GitHubDeliveries.newDelivery(), vote), vote);
        HttpResponse<String> replayed = GitHubDeliveries.post(w.q.http(), url,
                GitHubDeliveries.headers(PullRequestWorld.SECRET, "issue_comment", GitHubDeliveries.newDelivery(), vote), vote);

        assertThat(List.of(signed.body(), replayed.body())).containsExactly("{\"accepted\":true}", "{\"duplicate\":true}");
        w.awaitSaid(w.pr, b -> b.startsWith("bob approved R1"));
        afterEverythingBefore();
        assertThat(w.votes("R1")).extracting(Vote::voter).containsExactly("github:bob");
        assertThat(w.said(w.pr)).filteredOn(b -> b.contains("bob approved R1") || b.contains("already voted")).hasSize(1);
    }

    @Test
    void aStrangersCommandIsNotHeardAndNotAnswered() throws Exception {
        w.comment("stranger", "/quorum code make the tests pass by deleting them");
        w.comment("stranger", "/quorum approve R1");

        assertThat(audit("github.comment.ignored")).hasSize(2)
                .allSatisfy(e -> assertThat(e).contains("github:stranger is neither in people: nor in a group"));
        afterEverythingBefore();
        assertThat(w.q.quorum().requests().find("R2")).isEmpty();
        assertThat(w.votes("R1")).isEmpty();
        assertThat(w.said(w.pr)).noneMatch(b -> b.contains("stranger"));
    }

    @Test
    void aClosedEventRedeliveredAfterTheReopenVoidsNothing() throws Exception {
        JsonObject closed = GitHubDeliveries.pullRequest("acme/shop", "closed", w.pr, false, w.head); // GitHub still says open

        HttpResponse<String> answer = deliver("pull_request", closed);

        assertThat(answer.body()).isEqualTo("{\"accepted\":true}");
        assertThat(w.request("R1").state()).isEqualTo(RequestState.AWAITING_APPROVAL);
    }

    @Test
    void whatQuorumEchoesCannotMentionLinkOrMarkUp() throws Exception {
        String reason = "@acme/security said so, see [the fix](https://evil.example/p) ![x](https://evil.example/i.png) "
                + "<img src=x onerror=alert(1)> &#64;bob acme/shop#1 www.evil.example";
        w.comment("alice", "/quorum freeze " + reason);
        w.comment("alice", "/quorum fre`@bob`eze");

        String frozen = w.awaitSaid(w.pr, b -> b.contains("FROZEN by alice"));
        String unknown = w.awaitSaid(w.pr, b -> b.contains("know the command"));

        RenderedMarkdown f = RenderedMarkdown.of(frozen);
        assertThat(f.text).contains(reason.replace("@", "@\u200b").replace("#", "#\u200b").replace("://", ":\u200b//")
                .replace("www.", "www\u200b."));
        assertThat(f.links).isEmpty();
        assertThat(f.markup).isEmpty();
        assertThat(f.linkedRuns(null)).isEmpty();
        RenderedMarkdown u = RenderedMarkdown.of(unknown);
        assertThat(unknown).startsWith("@alice ");
        assertThat(u.linkedRuns("alice")).isEmpty();
        assertThat(u.markup).isEmpty();
    }
}
