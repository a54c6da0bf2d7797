package dev.quorum.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestType;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code you} on an action (SPEC §7's request, extended): whether the caller may vote and why not, as the approval
 * rules decide it, for each case a member meets; and {@code GET /api/inbox}, the three lists of the page a member
 * lands on. carol is no engineer here, so the merge policy does not let her vote.
 */
class InboxApiTest {
    @TempDir
    Path data;
    private QuorumHarness q;
    private Request merge;

    @BeforeEach
    void start() throws Exception {
        TestRedis.flush();
        String yaml = QuorumHarness.bundledConfigText().replace("engineers: [console:alice, console:bob, console:carol, console:dave]",
                "engineers: [console:alice, console:bob, console:dave]");
        assertThat(yaml).doesNotContain("console:carol, console:dave]");
        q = QuorumHarness.start(data, yaml, Map.of(), Clock.systemUTC());
        Request queued = q.quorum().requests().open(RequestType.MERGE, from("alice", "merge feature/greeting"), "merge feature/greeting", null);
        merge = VotingFixture.openForVotes(q.quorum(), queued, "feature/greeting");
    }

    @AfterEach
    void stop() {
        if (q != null) q.close();
    }

    @Test
    void youSaysWhoMayVoteAndWhyNotByTheApprovalRules() throws Exception {
        assertThat(you("bob")).isEqualTo(Map.of("user", "bob", "may_vote", true, "may_reject", true, "why", "null"));
        assertThat(you("alice")).isEqualTo(Map.of("user", "alice", "may_vote", false, "may_reject", true,
                "why", "You are an author of " + merge.id() + " (you asked for it, or for the work in it), so you cannot approve it: someone else must."));
        assertThat(you("carol")).isEqualTo(Map.of("user", "carol", "may_vote", false, "may_reject", false,
                "why", "Only members of engineers may vote on " + merge.id() + "; your vote cannot count."));

        assertThat(q.say("bob", "approve " + merge.id()).status()).isEqualTo(202);
        awaitVotes(1);
        assertThat(you("bob")).isEqualTo(Map.of("user", "bob", "may_vote", false, "may_reject", false,
                "why", "You already voted on " + merge.id() + "; a vote counts once."));
        // The list shows the same answer on its awaiting items.
        JsonNode item = q.get("/api/requests?type=merge", Map.of("X-Quorum-User", "bob")).json().path("requests").get(0);
        assertThat(item.path("you").path("may_vote").asBoolean(true)).isFalse();
        assertThat(item.path("you").path("why").asText()).isEqualTo("You already voted on " + merge.id() + "; a vote counts once.");

        // Frozen, the second approval reaches the quorum, which waits: nobody's vote counts any more.
        assertThat(q.say("dave", "freeze deploy window").status()).isEqualTo(202);
        assertThat(q.say("dave", "approve " + merge.id()).status()).isEqualTo(202);
        awaitVotes(2);
        assertThat(q.get("/api/requests/" + merge.id()).json().path("state").asText()).isEqualTo("awaiting_approval");
        assertThat(you("alice")).isEqualTo(Map.of("user", "alice", "may_vote", false, "may_reject", false,
                "why", merge.id() + " already has its quorum; it executes when Quorum is unfrozen."));
    }

    @Test
    void closedAndNotActionRequestsSayWhy() throws Exception {
        Request research = q.quorum().requests().open(RequestType.RESEARCH, from("bob", "research why"), "research why", null);
        assertThat(q.get("/api/requests/" + research.id(), Map.of("X-Quorum-User", "bob")).json().has("you")).isFalse();
        q.quorum().requests().move(merge, RequestState.CANCELLED, "console:alice", "not needed");
        assertThat(you("bob")).isEqualTo(Map.of("user", "bob", "may_vote", false, "may_reject", false,
                "why", merge.id() + " is already cancelled; votes on a closed request change nothing."));
        // A reader who is nobody (demo mode lets them read) gets no answer about anyone.
        assertThat(q.get("/api/requests/" + merge.id()).json().path("you").isNull()).isTrue();
    }

    @Test
    void theInboxHasWhatWaitsForMeWhatIAskedForAndWhatRuns() throws Exception {
        Request test = q.quorum().requests().open(RequestType.TEST, from("bob", "test"), "test", null);
        q.quorum().requests().move(test, RequestState.RUNNING, "quorum", null).orElseThrow();

        JsonNode bob = q.get("/api/inbox", Map.of("X-Quorum-User", "bob")).json();
        assertThat(bob.path("user").asText()).isEqualTo("bob");
        assertThat(bob.path("waiting")).extracting(n -> n.path("id").asText()).containsExactly(merge.id());
        assertThat(bob.path("waiting").get(0).path("you").path("may_vote").asBoolean()).isTrue();
        assertThat(bob.path("waiting").get(0).path("tally").path("line").asText()).isEqualTo("no approvals yet; still needs 2 approvals");
        assertThat(bob.path("mine")).extracting(n -> n.path("id").asText()).containsExactly(test.id());
        assertThat(bob.path("running")).extracting(n -> n.path("id").asText() + " " + n.path("state").asText())
                .containsExactly(test.id() + " running");

        // alice asked for the merge: it is hers, with why she may not approve it, and not waiting for her.
        JsonNode alice = q.get("/api/inbox", Map.of("X-Quorum-User", "alice")).json();
        assertThat(alice.path("waiting")).isEmpty();
        assertThat(alice.path("mine")).extracting(n -> n.path("id").asText()).containsExactly(merge.id());
        assertThat(alice.path("mine").get(0).path("you").path("why").asText()).startsWith("You are an author of " + merge.id());

        // carol may not vote: nothing waits for her.
        assertThat(q.get("/api/inbox", Map.of("X-Quorum-User", "carol")).json().path("waiting")).isEmpty();
        // The inbox is someone's: without a caller there is none.
        QuorumHarness.Response nobody = q.get("/api/inbox");
        assertThat(nobody.status()).isEqualTo(401);
    }

    @Test
    void metaNamesTheServersStatesTypesAndActions() throws Exception {
        JsonNode meta = q.get("/api/console/meta").json();
        assertThat(meta.path("states")).extracting(JsonNode::asText).containsExactly("queued", "running", "verifying",
                "awaiting_approval", "executing", "succeeded", "failed", "cancelled", "done", "rejected", "expired", "stale");
        assertThat(meta.path("active_states")).extracting(JsonNode::asText)
                .containsExactly("queued", "running", "verifying", "awaiting_approval", "executing");
        assertThat(meta.path("actions")).extracting(JsonNode::asText).containsExactly("merge", "deploy");
        assertThat(meta.path("types")).extracting(JsonNode::asText).contains("research", "code", "test", "merge", "deploy");
        assertThat(meta.path("agent_types")).extracting(JsonNode::asText).containsExactly("research", "code");
        assertThat(meta.path("evidence_types")).extracting(JsonNode::asText).containsExactly("code", "test", "merge", "deploy");
        assertThat(meta.path("tones")).extracting(JsonNode::asText).containsExactly("info", "success", "warning", "error");
    }

    private Map<String, Object> you(String user) throws Exception {
        JsonNode you = q.get("/api/requests/" + merge.id(), Map.of("X-Quorum-User", user)).json().path("you");
        return Map.of("user", you.path("user").asText(), "may_vote", you.path("may_vote").asBoolean(),
                "may_reject", you.path("may_reject").asBoolean(), "why", you.path("why").asText());
    }

    private void awaitVotes(int n) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (q.get("/api/requests/" + merge.id()).json().path("votes").size() < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("no " + n + " votes on " + merge.id());
            Thread.sleep(50);
        }
    }

    private static IncomingMessage from(String user, String text) {
        return IncomingMessage.human(Identity.console(user), ConsoleAdapter.ROOM, text);
    }
}
