package dev.quorum.store;

import dev.quorum.approval.ApprovalService;
import dev.quorum.approval.Vote;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.request.Request;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each script's header names its KEYS and ARGV by number ("KEYS: 1 the request hash, 2 ..." or "KEYS[1] ..."); the
 * Java that builds a script's lists is in one place per script (production and the test seeders call it). These checks
 * hold the three together: a key added to a script's body but not its header, or to its header but not its builder,
 * fails here instead of breaking a seeder silently.
 */
class ScriptKeysTest {
    private static final Request REQUEST = new Request("R42", RequestType.DEPLOY, RequestState.AWAITING_APPROVAL, Identity.console("alice"),
            "alice", new Conversation("console", "room", null), "deploy", Instant.parse("2026-11-02T10:00:00Z"),
            Instant.parse("2026-11-02T10:05:00Z"), null, null, null, null, 0.0);
    private static final Instant NOW = Instant.parse("2026-11-02T11:00:00Z");

    @Test
    void everyScriptsBodyUsesTheKeysItsHeaderNames() throws Exception {
        Map<String, Header> headers = headers();
        List<String> wrong = new ArrayList<>();
        for (var e : headers.entrySet()) {
            Header h = e.getValue();
            if (h.keys.openEnded) continue; // request_create: how many input indexes depends on the request
            // a script that also indexes KEYS by an expression (KEYS[#KEYS], KEYS[i]) may number fewer of them than it takes
            boolean agrees = h.byExpression ? h.highestKeyUsed <= h.keys.count : h.highestKeyUsed == h.keys.count;
            if (!agrees) wrong.add(e.getKey() + ": header names " + h.keys.count + " keys, body uses KEYS[" + h.highestKeyUsed + "]");
        }

        assertThat(wrong).isEmpty();
        assertThat(headers).as("the check ran over the scripts Quorum ships")
                .containsKeys("vote_tally", "approval_expire", "request_transition", "request_create", "audit_append");
    }

    @Test
    void eachScriptsBuilderPassesTheKeysAndArgumentsItsHeaderNames() throws Exception {
        Map<String, Header> headers = headers();
        Vote vote = new Vote("console:bob", "bob", "approve", NOW, List.of("engineers"), null, "digest");

        Header tally = headers.get("vote_tally");
        assertThat(ApprovalService.tallyKeys(REQUEST, Identity.console("bob"), "{q}:work")).hasSize(tally.keys.count);
        assertThat(ApprovalService.tallyArgs(REQUEST, "console:bob", vote, "vetoed", "quorum reached")).hasSize(tally.args.count);
        Header expire = headers.get("approval_expire");
        assertThat(ApprovalService.expireKeys(REQUEST)).hasSize(expire.keys.count);
        assertThat(ApprovalService.expireArgs(REQUEST, NOW)).hasSize(expire.args.count);
        Header transition = headers.get("request_transition");
        assertThat(RequestStore.transitionKeys(REQUEST, RequestState.AWAITING_APPROVAL, RequestState.EXECUTING)).hasSize(transition.keys.count);
        // its ARGV ends in field/value pairs: updated_at always, then the fields asked for
        assertThat(transition.args.openEnded).isTrue();
        assertThat(RequestStore.transitionArgs(REQUEST, RequestState.AWAITING_APPROVAL, RequestState.EXECUTING, Map.of("reason", "r"), NOW, "quorum", null))
                .hasSize(transition.args.count + 4);
    }

    @Test
    void theHeaderReaderCountsBothStylesAndRefusesAGapInTheNumbers() {
        Header listed = Header.parse("""
                -- Does a thing.
                -- KEYS: 1 the request hash, 2 its inputs (a hash), 3 the outbox,
                --       4 (the last) its day hash
                -- ARGV: 1 now (epoch ms), 2 request id
                return KEYS[3]
                """);
        Header indexed = Header.parse("""
                -- KEYS[1] the lock, KEYS[2] its fence; ARGV[1] the token, ARGV[2] the lease, ARGV[3..] pairs
                return KEYS[2]
                """);

        assertThat(List.of(listed.keys.count, listed.args.count, listed.highestKeyUsed)).containsExactly(4, 2, 3);
        assertThat(List.of(indexed.keys.count, indexed.args.count, indexed.highestKeyUsed)).containsExactly(2, 2, 2);
        assertThat(indexed.args.openEnded).isTrue();
        assertThat(Header.parse("-- KEYS: 1 a, 3 b\n-- ARGV: 1 c\nreturn 1\n").keys.count).as("a gap is not a count").isEqualTo(-1);
    }

    /** Every script Quorum ships under /lua whose header numbers its KEYS, by name (the tests' own /lua holds probes). */
    private static Map<String, Header> headers() throws IOException, URISyntaxException {
        Path dir = Path.of(LuaScript.class.getResource("/lua/vote_tally.lua").toURI()).getParent();
        Map<String, Header> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".lua")).toList()) {
                Header h = Header.parse(Files.readString(f));
                if (h.keys.count != 0) out.put(f.getFileName().toString().replace(".lua", ""), h);
            }
        }
        return out;
    }

    /** How many of one list a header names (-1: its numbers are not 1..n), and whether a last item "n.." takes any more. */
    record Numbered(int count, boolean openEnded) {
        private static final Pattern LISTED = Pattern.compile("(?:^|,|\\n)\\s*(\\d+)(\\s*\\.\\.)?[\\s(]");

        static Numbered of(String section, String name) {
            Matcher m = section.contains(name + "[") ? Pattern.compile(Pattern.quote(name) + "\\[(\\d+)(\\s*\\.\\.)?").matcher(section)
                    : LISTED.matcher(section.replaceFirst("^" + name + ":", ""));
            int n = 0;
            boolean open = false;
            while (m.find()) {
                if (open || Integer.parseInt(m.group(1)) != n + 1) return new Numbered(-1, false);
                n++;
                open = m.group(2) != null;
            }
            return new Numbered(open ? n - 1 : n, open);
        }
    }

    /** A script's header (its leading comment) as numbered KEYS and ARGV, the highest KEYS[n] its body uses, and whether it also indexes KEYS otherwise. */
    record Header(Numbered keys, Numbered args, int highestKeyUsed, boolean byExpression) {
        private static final Pattern KEY_USED = Pattern.compile("KEYS\\[(\\d+)]");
        private static final Pattern KEY_BY_EXPRESSION = Pattern.compile("KEYS\\[[^\\d\\]]");

        static Header parse(String script) {
            StringBuilder header = new StringBuilder();
            StringBuilder body = new StringBuilder();
            boolean inHeader = true;
            for (String line : script.split("\n")) {
                inHeader &= line.startsWith("--");
                (inHeader ? header.append(line.substring(2)) : body.append(line)).append('\n');
            }
            String h = header.toString();
            int keys = h.indexOf("KEYS:") >= 0 ? h.indexOf("KEYS:") : h.indexOf("KEYS[1]");
            int args = keys < 0 ? -1 : h.indexOf("ARGV", keys);
            int end = args < 0 ? -1 : h.indexOf("Returns", args);
            Numbered k = keys < 0 ? new Numbered(0, false) : Numbered.of(h.substring(keys, args < 0 ? h.length() : args), "KEYS");
            Numbered a = args < 0 ? new Numbered(0, false) : Numbered.of(h.substring(args, end < 0 ? h.length() : end), "ARGV");
            int highest = 0;
            for (Matcher m = KEY_USED.matcher(body); m.find(); ) highest = Math.max(highest, Integer.parseInt(m.group(1)));
            return new Header(k, a, highest, KEY_BY_EXPRESSION.matcher(body).find());
        }
    }
}
