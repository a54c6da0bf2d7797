package dev.quorum.audit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.quorum.config.ConfigException;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditLogTest {
    @TempDir
    Path data;
    private Redis redis;
    private AuditLog audit;

    @BeforeEach
    void setUp() throws Exception {
        redis = TestRedis.fresh();
        audit = AuditLog.open(redis, Clock.systemUTC(), data);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private void appendSome(AuditLog log, int n) {
        for (int i = 0; i < n; i++) log.append("vote", "console:bob", "R" + i, AuditLog.details("vote", "approve", "n", i));
    }

    private List<StreamMessage<String, String>> stream() {
        return redis.sync().xrange(AuditLog.STREAM, Range.create("-", "+"));
    }

    private Path anchorFile() {
        return Anchors.file(data);
    }

    private static void assertBroken(AuditVerification v, String firstBad, String problem) {
        assertThat(v.ok()).as(v.toString()).isFalse();
        assertThat(v.problem()).isEqualTo(problem);
        assertThat(v.firstBad()).isEqualTo(firstBad);
    }

    // --- the key ---

    @Test
    void theFirstStartMakesAnOwnerOnlyKeyOutsideRedisAndAnAnchorFile() throws Exception {
        Path key = SealKey.file(data);
        assertThat(Files.size(key)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent()))).isEqualTo("rwx------");
        assertThat(Files.readAllLines(anchorFile()).getFirst()).startsWith("begin 0 0 new-key ");
        String secretHex = java.util.HexFormat.of().formatHex(Files.readAllBytes(key));
        appendSome(audit, 2);
        for (String k : redis.sync().keys("*")) {
            String dump = redis.sync().type(k).equals("stream") ? stream().toString() : String.valueOf(redis.sync().get(k));
            assertThat(dump).doesNotContain(secretHex);
        }
    }

    @Test
    void aKeyOpenToOthersIsRefusedAndNeverReplaced() throws Exception {
        Path key = SealKey.file(data);
        byte[] before = Files.readAllBytes(key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> AuditLog.open(redis, Clock.systemUTC(), data)).isInstanceOf(ConfigException.class)
                .hasMessage("config error: data = \"" + data + "\": the seal key " + key + " is open to group or others (rw-r--r--); "
                        + "make it owner-only: chmod 600 " + key);
        assertThat(Files.readAllBytes(key)).isEqualTo(before);
    }

    @Test
    void aKeyFolderOthersCanWriteIsRefused() throws Exception {
        Path dir = SealKey.file(data).getParent();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> AuditLog.open(redis, Clock.systemUTC(), data))
                .hasMessage("config error: data = \"" + data + "\": the folder " + dir + " is open to group or others (rwxrwxrwx); "
                        + "make it owner-only: chmod 700 " + dir);
    }

    @Test
    void aDamagedOrUnreadableKeyIsRefused() throws Exception {
        Path key = SealKey.file(data);
        Files.write(key, new byte[16]);
        assertThatThrownBy(() -> AuditLog.open(redis, Clock.systemUTC(), data)).hasMessage("config error: data = \"" + data
                + "\": the seal key " + key + " holds 16 bytes, not 32: it is damaged; restore it from your backup");
        Files.delete(key);
        Files.createDirectory(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertThatThrownBy(() -> AuditLog.open(redis, Clock.systemUTC(), data)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config error: data = \"" + data + "\": cannot read the seal key " + key + ": ");
    }

    @Test
    void aMissingKeyIsNotMadeAgainWhileSealsOfTheOldOneExist(@TempDir Path second) throws Exception {
        appendSome(audit, 2);
        assertThatThrownBy(() -> AuditLog.open(redis, Clock.systemUTC(), second)).isInstanceOf(ConfigException.class)
                .hasMessage("config error: data = \"" + second + "\": the audit log in Redis is sealed but there is no seal key at "
                        + SealKey.file(second) + ": restore it from your backup, or copy it from the Quorum instance that made it "
                        + "(all instances on one Redis share one key)");
        assertThat(SealKey.file(second)).doesNotExist();

        Files.delete(SealKey.file(data));
        TestRedis.flush();
        assertThatThrownBy(() -> AuditLog.open(redis, Clock.systemUTC(), data))
                .hasMessage("config error: data = \"" + data + "\": the audit anchor file " + anchorFile() + " exists but the seal key "
                        + SealKey.file(data) + " is missing: restore the key from your backup");
        assertThat(SealKey.file(data)).doesNotExist();
    }

    // --- sealed entries ---

    @Test
    void eachEntryCarriesItsPositionTheHashOfTheOneBeforeAndASeal() throws Exception {
        appendSome(audit, 3);
        List<AuditEntry> entries = audit.read(null, 10);
        assertThat(entries).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(entries.get(0).prev()).isEmpty();
        assertThat(entries.get(1).prev()).isEqualTo(entries.get(0).hash());
        assertThat(entries.get(2).prev()).isEqualTo(entries.get(1).hash());
        assertThat(entries).allMatch(e -> e.sealedBy(audit.key()));
        assertThat(redis.sync().get(AuditLog.COUNT)).isEqualTo("3");
        AuditVerification v = audit.verify();
        assertThat(v).isEqualTo(AuditVerification.good(3, List.of(
                "3 sealed entries checked with key " + audit.key().id() + " against 3 anchors in " + anchorFile())));
        assertThat(AuditLog.verify(redis, data)).isEqualTo(v);
    }

    @Test
    void aChangedEntryIsFound() {
        appendSome(audit, 5);
        List<StreamMessage<String, String>> all = stream();
        rewrite(all, all.get(2).getId(), Map.of("data", "{\"n\":2,\"vote\":\"reject\"}"));
        assertBroken(audit.verify(), all.get(2).getId(), "entry 3 does not match its hash (the entry was changed)");
    }

    @Test
    void aRemovedMiddleEntryIsNamed() {
        appendSome(audit, 5);
        List<StreamMessage<String, String>> all = stream();
        redis.sync().xdel(AuditLog.STREAM, all.get(1).getId());
        assertBroken(audit.verify(), all.get(2).getId(), "entry 2 is missing: entry 3 follows entry 1 (entry 2 was deleted)");
    }

    @Test
    void aTailDeletedWithTheHeadAndCountResetIsFoundByTheAnchors() {
        appendSome(audit, 5);
        List<StreamMessage<String, String>> all = stream();
        redis.sync().xdel(AuditLog.STREAM, all.get(3).getId(), all.get(4).getId());
        redis.sync().set(AuditLog.HEAD, all.get(2).getBody().get("hash"));
        redis.sync().set(AuditLog.COUNT, "3");
        assertBroken(audit.verify(), all.get(2).getId(),
                "the chain ends at entry 3 but the anchor file records 5 entries (entries after 3 were deleted)");
    }

    @Test
    void aTailDeletedWithoutResettingTheHeadIsFoundToo() {
        appendSome(audit, 3);
        List<StreamMessage<String, String>> all = stream();
        redis.sync().xdel(AuditLog.STREAM, all.get(2).getId());
        assertThat(audit.verify().problem()).isEqualTo("the chain ends at entry 2 but the anchor file records 3 entries (entries after 2 were deleted)");
    }

    @Test
    void aTrimmedStartIsNamed() {
        appendSome(audit, 5);
        List<StreamMessage<String, String>> all = stream();
        redis.sync().xtrim(AuditLog.STREAM, 3);
        assertBroken(audit.verify(), all.get(2).getId(), "the chain starts at entry 3 (entries 1 to 2 were deleted)");
    }

    @Test
    void aChainRewrittenAndHashedAgainWithPlainSha256CannotBeSealedAgain() {
        appendSome(audit, 4);
        List<StreamMessage<String, String>> all = stream();
        List<Map<String, String>> forged = rehashedFrom(all, 1, Map.of("actor", "console:mallory"));
        rewriteAll(all, forged);
        redis.sync().set(AuditLog.HEAD, forged.getLast().get("hash"));
        assertBroken(audit.verify(), all.get(1).getId(), "entry 2 is not sealed by this installation's key (it was rewritten or forged: "
                + "a chain hashed again without the key cannot be sealed again)");
    }

    @Test
    void aRemovedSealIsFound() {
        appendSome(audit, 3);
        List<StreamMessage<String, String>> all = stream();
        Map<String, String> stripped = new HashMap<>(all.get(1).getBody());
        stripped.remove("seal");
        stripped.remove("seq");
        rewriteAll(all, List.of(all.get(0).getBody(), stripped, all.get(2).getBody()));
        assertBroken(audit.verify(), all.get(1).getId(),
                "entry 2 carries no seal, but keying began after entry 0 (says the anchor file): it was forged or its seal removed");
    }

    @Test
    void entriesFromBeforeKeyingBeganStillVerifyAndTheVerdictSaysSo(@TempDir Path upgraded) throws Exception {
        TestRedis.flush();
        List<Map<String, String>> legacy = legacyChain(3); // what Quorum wrote before entries were sealed: no count, no seq, no seal
        legacy.forEach(body -> redis.sync().xadd(AuditLog.STREAM, body));
        redis.sync().set(AuditLog.HEAD, legacy.getLast().get("hash"));

        AuditLog log = AuditLog.open(redis, Clock.systemUTC(), upgraded);
        assertThat(Files.readAllLines(Anchors.file(upgraded)).getFirst()).startsWith("begin 3 3 new-key ");
        appendSome(log, 2);
        assertThat(log.read(null, 10)).extracting(AuditEntry::seq).containsExactly(0L, 0L, 0L, 4L, 5L);
        assertThat(log.verify()).isEqualTo(AuditVerification.good(5, List.of(
                "entries 1 to 3 were written before keying began and are accepted without a seal",
                "2 sealed entries checked with key " + log.key().id() + " against 2 anchors in " + Anchors.file(upgraded))));

        // an unsealed entry after keying began is a forgery, even with a right hash and link
        Map<String, String> forged = new HashMap<>(legacy.getFirst());
        forged.put("prev", stream().getLast().getBody().get("hash"));
        forged.put("hash", hashOf(forged));
        redis.sync().xadd(AuditLog.STREAM, forged);
        redis.sync().set(AuditLog.HEAD, forged.get("hash"));
        redis.sync().set(AuditLog.COUNT, "6");
        assertBroken(log.verify(), stream().getLast().getId(),
                "entry 6 carries no seal, but keying began after entry 3 (says the anchor file): it was forged or its seal removed");

        // rewriting a pre-keying entry breaks the first sealed entry's link, which cannot be sealed again
        rewriteAll(stream(), rehashedFrom(stream().subList(0, 5), 0, Map.of("actor", "console:mallory")));
        assertThat(log.verify().problem()).isEqualTo("entry 4 is not sealed by this installation's key (it was rewritten or forged: "
                + "a chain hashed again without the key cannot be sealed again)");
    }

    @Test
    void aCountInRedisThatIsNotANumberIsReportedNotThrown() {
        appendSome(audit, 2);
        redis.sync().set(AuditLog.COUNT, "lots");
        assertBroken(audit.verify(), "(start)", "the entry count in Redis is not a number (it was changed)");
    }

    @Test
    void withoutTheKeySealedEntriesCannotBeCheckedAndVerifySaysSo(@TempDir Path elsewhere) throws Exception {
        appendSome(audit, 2);
        assertBroken(AuditLog.verify(redis, elsewhere), "(seal key)", "the chain holds sealed entries but there is no seal key at "
                + SealKey.file(elsewhere) + ": restore it from your backup to check them");
        TestRedis.flush();
        legacyChain(2).forEach(body -> redis.sync().xadd(AuditLog.STREAM, body));
        redis.sync().set(AuditLog.HEAD, stream().getLast().getBody().get("hash"));
        assertThat(AuditLog.verify(redis, elsewhere)).isEqualTo(AuditVerification.good(2, List.of("the audit log is not sealed: there is "
                + "no seal key at " + SealKey.file(elsewhere) + " yet (Quorum makes one at its next start); only the hash chain was checked")));
    }

    // --- the anchor file ---

    @Test
    void aDeletedAnchorFileIsReportedThenStartedAgainWithTheAnchorTheInstanceRemembers() throws Exception {
        appendSome(audit, 3);
        Files.delete(anchorFile());
        assertBroken(audit.verify(), "(anchor file)", "the anchor file " + anchorFile() + " is missing, yet the chain holds sealed "
                + "entries: it was deleted, so a deleted tail cannot be ruled out");

        appendSome(audit, 1); // the running instance writes the file again, with the last anchor it remembers
        List<String> lines = Files.readAllLines(anchorFile());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("begin 0 3 recreated ");
        assertThat(lines.get(1)).startsWith("anchor 3 ");
        assertThat(audit.verify().notes()).contains("the anchor file " + anchorFile() + " was started again at entry 3 after it "
                + "disappeared while Quorum ran (see Quorum's log); of the anchors before, only the last one is kept");

        List<StreamMessage<String, String>> all = stream();
        redis.sync().xdel(AuditLog.STREAM, all.get(3).getId());
        redis.sync().set(AuditLog.HEAD, all.get(2).getBody().get("hash"));
        redis.sync().set(AuditLog.COUNT, "3");
        assertThat(audit.verify().problem()).isEqualTo("the chain ends at entry 3 but the anchor file records 4 entries (entries after 3 were deleted)");
    }

    @Test
    void aStartWithoutTheAnchorFileBeginsANewOneAndSaysWhereItBegins() throws Exception {
        appendSome(audit, 3);
        Files.delete(anchorFile());
        AuditLog restarted = AuditLog.open(redis, Clock.systemUTC(), data);
        assertThat(Files.readAllLines(anchorFile()).getFirst()).startsWith("begin 0 3 existing-key ");
        assertThat(restarted.verify().notes()).containsExactly("the anchor file " + anchorFile() + " begins at entry 3: it was started "
                + "when the seal key already existed (a second Quorum instance on this Redis, or the earlier file was deleted), so "
                + "entries up to 3 are checked by their seals only", "3 sealed entries checked with key " + restarted.key().id()
                + " against 0 anchors in " + anchorFile());
    }

    @Test
    void anEditedAnchorLineIsFound() throws Exception {
        appendSome(audit, 3);
        List<String> lines = new ArrayList<>(Files.readAllLines(anchorFile()));
        lines.set(2, lines.get(2).replaceFirst("^anchor 2 ", "anchor 1 "));
        Files.write(anchorFile(), lines);
        assertBroken(audit.verify(), "(anchor file)", "line 3 of the anchor file " + anchorFile() + " is not sealed by this key (the file was edited)");
    }

    @Test
    void aLastLineCutShortByACrashIsIgnoredAndSaid() throws Exception {
        appendSome(audit, 2);
        Files.writeString(anchorFile(), "anchor 3 ab", StandardOpenOption.APPEND);
        AuditVerification v = audit.verify();
        assertThat(v.ok()).isTrue();
        assertThat(v.notes()).contains("the last line of the anchor file " + anchorFile() + " does not verify and is ignored (cut short by a "
                + "crash, or being written just then)");
    }

    @Test
    void everyThousandthEntryIsAlsoLogged() {
        Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        try {
            appendSome(audit, 1001);
        } finally {
            logger.detachAppender(seen);
        }
        AuditEntry thousandth = audit.read(null, 1000).getLast();
        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("Audit checkpoint: entry 1000 has hash " + thousandth.hash());
    }

    // --- several instances ---

    @Test
    void twoInstancesOnOneRedisKeepOneChainAndEachItsOwnAnchors(@TempDir Path other) throws Exception {
        copyKey(data, other);
        try (Redis secondRedis = Redis.connect(TestRedis.uri()); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AuditLog second = AuditLog.open(secondRedis, Clock.systemUTC(), other);
            List<Future<AuditEntry>> all = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                AuditLog log = i % 4 == 0 ? second : audit;
                int n = i;
                all.add(pool.submit(() -> log.append("vote", "console:x", "R" + n, AuditLog.details("n", n))));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var f : all) ids.add(f.get().id());
            assertThat(ids).hasSize(2000);
            appendSome(audit, 1);
            appendSome(second, 1);
            assertThat(audit.verify().ok()).as(audit.verify().toString()).isTrue();
            assertThat(second.verify().ok()).as(second.verify().toString()).isTrue();
            assertThat(Files.readAllLines(Anchors.file(other))).anyMatch(l -> l.startsWith("anchor 2002 "));
            assertThat(Files.readAllLines(anchorFile())).anyMatch(l -> l.startsWith("anchor 2001 "))
                    .noneMatch(l -> l.startsWith("anchor 2002 "));

            List<StreamMessage<String, String>> chain = stream();
            for (StreamMessage<String, String> m : chain.subList(1500, 2002)) redis.sync().xdel(AuditLog.STREAM, m.getId());
            redis.sync().set(AuditLog.HEAD, chain.get(1499).getBody().get("hash"));
            redis.sync().set(AuditLog.COUNT, "1500");
            assertThat(audit.verify().problem()).isEqualTo("the chain ends at entry 1500 but the anchor file records 2001 entries (entries after 1500 were deleted)");
            assertThat(second.verify().problem()).isEqualTo("the chain ends at entry 1500 but the anchor file records 2002 entries (entries after 1500 were deleted)");
        }
    }

    @Test
    void concurrentAppendsFromSeveralConnectionsKeepOneChain(@TempDir Path other) throws Exception {
        copyKey(data, other);
        try (Redis secondRedis = Redis.connect(TestRedis.uri()); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            AuditLog second = AuditLog.open(secondRedis, Clock.systemUTC(), other);
            for (int i = 0; i < 100; i++) {
                AuditLog log = i % 2 == 0 ? audit : second;
                int n = i;
                pool.submit(() -> log.append("vote", "console:x", "R1", AuditLog.details("n", n)));
            }
        }
        AuditVerification v = audit.verify();
        assertThat(v.ok()).as(v.toString()).isTrue();
        assertThat(v.entries()).isEqualTo(100);
    }

    // --- helpers: what an attacker with write access to Redis does ---

    static void copyKey(Path from, Path to) throws Exception {
        Path dir = SealKey.file(to).getParent();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.copy(SealKey.file(from), SealKey.file(to), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }

    static String hashOf(Map<String, String> body) {
        String request = body.getOrDefault("request", "");
        return AuditEntry.hashOf(Instant.parse(body.get("at")), body.get("type"), body.get("actor"),
                request.isEmpty() ? null : request, body.get("data"), body.get("prev"));
    }

    /** Entries as Quorum wrote them before they were sealed. */
    static List<Map<String, String>> legacyChain(int n) {
        List<Map<String, String>> out = new ArrayList<>();
        String prev = "";
        for (int i = 0; i < n; i++) {
            Map<String, String> body = new HashMap<>(Map.of("at", "2026-01-0" + (i + 1) + "T10:00:00Z", "type", "vote", "actor", "console:bob",
                    "request", "R" + i, "data", "{\"n\":" + i + "}", "prev", prev));
            body.put("hash", hashOf(body));
            prev = body.get("hash");
            out.add(body);
        }
        return out;
    }

    /** The bodies with {@code changes} applied from index {@code from} on, every hash and link recomputed with plain SHA-256. */
    static List<Map<String, String>> rehashedFrom(List<StreamMessage<String, String>> all, int from, Map<String, String> changes) {
        List<Map<String, String>> out = new ArrayList<>();
        String prev = null;
        for (int i = 0; i < all.size(); i++) {
            Map<String, String> body = new HashMap<>(all.get(i).getBody());
            if (i == from) body.putAll(changes);
            if (i >= from) {
                if (prev != null) body.put("prev", prev);
                body.put("hash", hashOf(body));
            }
            prev = body.get("hash");
            out.add(body);
        }
        return out;
    }

    /** Rebuilds the stream with one entry's fields replaced, keeping ids. */
    private void rewrite(List<StreamMessage<String, String>> all, String id, Map<String, String> replacement) {
        List<Map<String, String>> bodies = new ArrayList<>();
        for (StreamMessage<String, String> m : all) {
            Map<String, String> body = new HashMap<>(m.getBody());
            if (m.getId().equals(id)) body.putAll(replacement);
            bodies.add(body);
        }
        rewriteAll(all, bodies);
    }

    /** Replaces the stream by {@code bodies}, keeping the ids of the entries they replace (entries beyond them are dropped). */
    private void rewriteAll(List<StreamMessage<String, String>> all, List<Map<String, String>> bodies) {
        redis.sync().del(AuditLog.STREAM);
        for (int i = 0; i < bodies.size(); i++) redis.sync().xadd(AuditLog.STREAM, new XAddArgs().id(all.get(i).getId()), bodies.get(i));
    }
}
