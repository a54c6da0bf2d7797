package dev.quorum.request;

import dev.quorum.chat.console.ConsoleAdapter;
import dev.quorum.conversation.Identity;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history's text filter ({@code q}) is matched inside Redis for an ASCII needle, and gives exactly Java's answer
 * (a literal, case-insensitive substring of the id, text, summary, reason or requester name, every letter lowered
 * as Java lowers it) whatever the texts hold: other scripts, letters whose lower case is ASCII, nothing at all.
 */
class HistoryTextTest {
    private static final List<String> TEXTS = List.of("Fix the LOGIN page", "deploy to İstanbul", "KELVIN: 300 \u212A", "Straße ß",
            "emoji 🚀 launch", "tab\there", "ΣΊΣΥΦΟΣ", "plain words", "100% done", "under_score and [brackets]", "", "login again");
    private Redis redis;
    private RequestStore store;
    private final Map<String, String> textOf = new HashMap<>();

    @BeforeEach
    void seed() {
        redis = TestRedis.fresh();
        store = new RequestStore(redis);
        Instant at = Instant.parse("2026-11-01T00:00:00Z");
        for (int round = 0; round < 4; round++) {
            for (String t : TEXTS) {
                String text = t + (round == 0 ? "" : " r" + round);
                Request r = store.create(RequestType.RESEARCH, Identity.console(round % 2 == 0 ? "alice" : "olaf"), round % 2 == 0 ? "alice" : "Ölaf",
                        ConsoleAdapter.ROOM, text, null, at = at.plusSeconds(60));
                textOf.put(r.id(), r.id() + "\n" + text + "\n" + r.requesterName());
            }
        }
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void everyNeedleFindsWhatJavasRuleFinds() {
        for (String needle : List.of("login", "LOGIN", "k", "kelvin", "i", "istanbul", "İstanbul", "ss", "ß", "🚀", "%", "_", "[",
                "\t", "r3", "R1", "σίσυφος", "ölaf", "olaf", "nothing at all", " ", "e")) {
            List<String> want = new ArrayList<>();
            String lowered = needle.toLowerCase(Locale.ROOT);
            textOf.forEach((id, hay) -> {
                if (needle.isBlank() || hay.toLowerCase(Locale.ROOT).contains(lowered)) want.add(id); // blank: no filter
            });
            want.sort((a, b) -> Long.compare(RequestIds.number(b), RequestIds.number(a)));
            assertThat(ids(needle)).as("q=%s", needle).containsExactlyElementsOf(want);
        }
        // the Kelvin sign lowers to an ASCII k in Java: only Java can find it for "k", and does
        assertThat(ids("kelvin: 300 k")).hasSize(4);
    }

    @Test
    void anAsciiNeedleOnAsciiTextsIsMatchedInsideRedisWithoutShippingTheTexts() {
        try (Redis other = TestRedis.fresh()) {
            RequestStore plain = new RequestStore(other);
            String filler = " lorem ipsum dolor sit amet".repeat(20); // 540 bytes a text
            Instant at = Instant.parse("2026-11-01T00:00:00Z");
            for (int i = 0; i < 200; i++) {
                plain.create(RequestType.RESEARCH, Identity.console("alice"), "alice", ConsoleAdapter.ROOM,
                        (i % 70 == 0 ? "needle " : "hay ") + i + filler, null, at = at.plusSeconds(60));
            }
            long before = outputBytes(other);
            RequestPage page = plain.list(new RequestQuery(null, null, null, null, null, null, null, null, "NEEDLE", null, null, 50));
            long shipped = outputBytes(other) - before;
            assertThat(page.requests()).extracting(Request::text).allMatch(t -> t.startsWith("needle ")).hasSize(3);
            // the 3 rows found, whole, and a few numbers: not the 200 candidates' 108 KB of text
            assertThat(shipped).isLessThan(200L * filler.length() / 10);
        }
    }

    private static long outputBytes(Redis r) {
        for (String line : r.sync().info("stats").split("\r?\n")) {
            if (line.startsWith("total_net_output_bytes:")) return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
        throw new AssertionError("no total_net_output_bytes in INFO stats");
    }

    private List<String> ids(String needle) {
        List<String> out = new ArrayList<>();
        RequestQuery q = new RequestQuery(null, null, null, null, null, null, null, null, needle, null, null, 7);
        RequestQuery.Cursor at = null;
        do {
            RequestPage page = store.list(q.from(at, 7));
            page.requests().forEach(r -> out.add(r.id()));
            at = page.next();
        } while (at != null);
        return out;
    }

}
