package dev.quorum.attack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quorum.audit.AuditLog;
import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestType;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import dev.quorum.web.ChatLinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the request timeline and the audit page: hostile words in what the timeline tells come back as the same
 * words (text, for the page to draw as text); a chat link built from a request's stored origin can never become a
 * {@code javascript:} link or one to another host, whatever its channel, thread and message ids hold; and the audit
 * search takes regex and glob characters as the characters they are.
 */
class TimelineAttackTest {
    private static final List<String> HOSTILE = List.of("javascript:alert(1)", "C123/../../evil.example", "C123@evil.example",
            "//evil.example", "1732617600.000100?x=https://evil.example", "123\"><script>alert(1)</script>", "C12 3", "",
            "1732617600.000100#@evil.example", "https://evil.example/", "999999999999999999999999", "C123\nLocation: https://evil.example");

    @TempDir
    Path data;
    private QuorumHarness q;

    @BeforeEach
    void start() throws Exception {
        TestRedis.flush();
        q = QuorumHarness.start(data);
    }

    @AfterEach
    void stop() {
        if (q != null) q.close();
    }

    @Test
    void aChatLinkFromHostileIdsStaysOnSlackOrDiscordOrIsNoLink() {
        ChatLinks one = new ChatLinks(List.of("81384788765712384"));
        List<String> hrefs = new ArrayList<>();
        for (String adapter : List.of("slack", "discord")) {
            for (String channel : HOSTILE) {
                for (String thread : HOSTILE) {
                    for (String message : HOSTILE) {
                        Conversation where = new Conversation(adapter, channel, thread.isEmpty() ? null : thread);
                        for (Map<String, Object> link : one.of(request(where, new PostedMessage(where, message)))) {
                            hrefs.add((String) link.get("href"));
                        }
                    }
                }
            }
        }
        assertThat(hrefs).isNotEmpty().allSatisfy(href -> {
            if (href.startsWith("#")) {
                assertThat(href).isEqualTo("#/requests/R7");
                return;
            }
            URI uri = URI.create(href);
            assertThat(uri.getScheme()).isEqualTo("https");
            assertThat(uri.getHost()).isIn("slack.com", "discord.com");
            assertThat(uri.getRawUserInfo()).isNull();
            assertThat(uri.getRawFragment()).isNull();
            assertThat(href).doesNotContain("evil", "..", "<", "\"", "\n", " ");
        });
        // None of those ids is a platform's: no link to the chat at all, only the console's page.
        assertThat(hrefs).containsOnly("#/requests/R7");

        // Real ids make real links; with two guilds Quorum cannot know which one, so no Discord link.
        Conversation slack = new Conversation("slack", "C024BE91L", "1732617600.000100");
        assertThat(one.of(request(slack, new PostedMessage(slack, "1732617601.000200")))).extracting(l -> l.get("href"))
                .containsExactly("#/requests/R7", "https://slack.com/archives/C024BE91L/p1732617601000200?thread_ts=1732617600.000100&cid=C024BE91L");
        Conversation discord = new Conversation("discord", "1100000000000000001", null);
        assertThat(one.of(request(discord, new PostedMessage(discord, "1200000000000000002")))).extracting(l -> l.get("href"))
                .containsExactly("#/requests/R7", "https://discord.com/channels/81384788765712384/1100000000000000001/1200000000000000002");
        assertThat(new ChatLinks(List.of("1", "2")).of(request(discord, null))).extracting(l -> l.get("kind")).containsExactly("console");
        assertThat(new ChatLinks(List.of("javascript:x")).of(request(discord, null))).extracting(l -> l.get("kind")).containsExactly("console");
    }

    @Test
    void hostileWordsInTheTimelineComeBackAsTheSameWords() throws Exception {
        String hostile = "test </script><img src=x onerror=alert(1)> {{7*7}} ${7*7} \u202Eevil";
        Request r = q.quorum().requests().open(RequestType.TEST, IncomingMessage.human(Identity.console("mallory"), ConsoleAdapter.ROOM, hostile),
                hostile, null);
        q.quorum().audit().append("note<img src=x>", "javascript:alert(1)", r.id(), AuditLog.details("text", "<b>bold</b>"));
        JsonNode timeline = q.get("/api/requests/" + r.id()).json().get("timeline");
        assertThat(timeline.get(0).get("text").asText()).isEqualTo("asked: " + hostile);
        JsonNode note = timeline.get(timeline.size() - 1);
        assertThat(note.get("kind").asText()).isEqualTo("audit");
        assertThat(note.get("text").asText()).isEqualTo("note<img src=x>");
        assertThat(note.get("actor").asText()).isEqualTo("javascript:alert(1)");
        assertThat(note.has("href")).isFalse(); // an entry is words, never a link
    }

    @Test
    void theAuditSearchTakesRegexAndGlobCharactersLiterally() throws Exception {
        AuditLog audit = q.quorum().audit();
        audit.append("note", "console:alice", null, AuditLog.details("text", "a.b*c [x] (y) ^$ \\d+ %_"));
        audit.append("note", "console:bob", null, AuditLog.details("text", "aXbYYc x y"));
        assertThat(texts("q", "a.b*c")).containsExactly("a.b*c [x] (y) ^$ \\d+ %_");
        assertThat(texts("q", "[x]")).containsExactly("a.b*c [x] (y) ^$ \\d+ %_");
        assertThat(texts("q", "\\d+")).containsExactly("a.b*c [x] (y) ^$ \\d+ %_");
        assertThat(texts("q", "%_")).containsExactly("a.b*c [x] (y) ^$ \\d+ %_");
        for (String pattern : List.of(".*", "a.b.c", "a?b", "[a-z]", "^a", "x|y", "b*c.", "\\w", "a.+c")) {
            assertThat(texts("q", pattern)).as(pattern).isEmpty();
        }
        assertThat(texts("actor", ".*")).isEmpty();
        assertThat(texts("actor", "console:*")).isEmpty();
        assertThat(texts("kind", "*")).isEmpty();
        assertThat(texts("kind", "n.te")).isEmpty();
        assertThat(texts("kind", "note")).hasSize(2);
        var tooLong = q.get("/api/audit?q=" + "x".repeat(201));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("error").asText()).isEqualTo("q must be at most 200 characters");
    }

    /** The {@code text} details of the entries a search by {@code term} finds. */
    private List<String> texts(String term, String value) throws Exception {
        var res = q.get("/api/audit?" + term + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        assertThat(res.status()).as(term + "=" + value + ": " + res.json()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode e : res.json().get("entries")) if (e.get("type").asText().equals("note")) out.add(e.at("/data/text").asText());
        return out;
    }

    /** A done merge asked in {@code origin}, with {@code progress} as its progress message. */
    static Request request(Conversation origin, PostedMessage progress) {
        Instant at = Instant.parse("2026-11-26T10:00:00Z");
        return new Request("R7", RequestType.MERGE, RequestState.DONE, Identity.console("alice"), "alice", origin, "merge x", at, at,
                null, null, null, progress, 0);
    }
}
