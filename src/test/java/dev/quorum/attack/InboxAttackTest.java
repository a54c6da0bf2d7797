package dev.quorum.attack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.request.Request;
import dev.quorum.request.RequestType;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import dev.quorum.web.VotingFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the inbox and on {@code you}: whose answer it is can only be the caller's as authenticated, never a
 * name the request itself brings (a demo header without demo mode, a query parameter, an unknown demo name), and
 * another web page cannot read it.
 */
class InboxAttackTest {
    @TempDir
    Path data;
    private QuorumHarness q;

    @AfterEach
    void stop() {
        if (q != null) q.close();
    }

    @Test
    void withTokensYouIsTheTokensUserWhateverElseTheRequestNames() throws Exception {
        TestRedis.flush();
        q = QuorumHarness.start(data, QuorumHarness.tokenConfigText(), Map.of(), Clock.systemUTC());
        Request merge = openMerge();
        String bob = "Bearer " + QuorumHarness.TOKENS.get("bob");

        // No credential, or only the demo header (which counts in demo mode only): no inbox, no record.
        assertThat(q.get("/api/inbox").status()).isEqualTo(401);
        assertThat(q.get("/api/inbox", Map.of("X-Quorum-User", "alice")).status()).isEqualTo(401);
        assertThat(q.get("/api/requests/" + merge.id(), Map.of("X-Quorum-User", "bob")).status()).isEqualTo(401);

        // bob's token, naming alice in every other way: the answers are bob's.
        JsonNode one = q.get("/api/requests/" + merge.id() + "?user=alice", Map.of("Authorization", bob, "X-Quorum-User", "alice")).json();
        assertThat(one.path("you").path("user").asText()).isEqualTo("bob");
        assertThat(one.path("you").path("may_vote").asBoolean()).isTrue();
        JsonNode inbox = q.get("/api/inbox?user=alice", Map.of("Authorization", bob, "X-Quorum-User", "alice")).json();
        assertThat(inbox.path("user").asText()).isEqualTo("bob");
        assertThat(inbox.path("waiting")).extracting(n -> n.path("id").asText()).containsExactly(merge.id());
        assertThat(inbox.path("mine")).isEmpty();

        // A wrong token is nobody, not a fall back to anything else the request says.
        assertThat(q.get("/api/inbox", Map.of("Authorization", "Bearer not-a-token-000000000", "X-Quorum-User", "bob")).status()).isEqualTo(401);
        // Another web page's script cannot read it with the browser's cookie.
        assertThat(q.get("/api/inbox", Map.of("Authorization", bob, "Origin", "https://evil.example")).status()).isEqualTo(403);
    }

    @Test
    void inDemoModeAnUnknownNameGetsNoAnswerAboutAnyone() throws Exception {
        TestRedis.flush();
        q = QuorumHarness.start(data);
        Request merge = openMerge();
        for (String forged : new String[]{"mallory", "console:bob", "Bob", "bob,alice", ""}) {
            assertThat(q.get("/api/inbox", Map.of("X-Quorum-User", forged)).status()).as(forged).isEqualTo(401);
            JsonNode r = q.get("/api/requests/" + merge.id(), Map.of("X-Quorum-User", forged)).json();
            assertThat(r.path("id").asText()).isEqualTo(merge.id()); // demo mode lets anyone read ...
            assertThat(r.path("you").isNull()).as(forged).isTrue(); // ... but says nothing about whether someone may vote
        }
    }

    private Request openMerge() throws Exception {
        Request queued = q.quorum().requests().open(RequestType.MERGE,
                IncomingMessage.human(Identity.console("alice"), ConsoleAdapter.ROOM, "merge feature/greeting"), "merge feature/greeting", null);
        return VotingFixture.openForVotes(q.quorum(), queued, "feature/greeting");
    }
}
