package dev.quorum.evidence;

import dev.quorum.audit.CanonicalJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class EvidenceRecordTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMIT = "abc1234def5678901234567890abcdef12345678";

    static EvidenceRecord failedRecord() {
        return EvidenceRecord.sealed("demo", COMMIT, "mvn -B test", EvidenceStatus.FAILED, 1,
                Instant.parse("2025-03-14T10:00:00.250Z"), 12_345, new TestCounts(44, 41, 2, 1, 0),
                List.of(new TestFailure("com.example.GreeterTest.greets", "expected: <Hi> but was: <Hello>"),
                        new TestFailure("com.example.ÜberTest.quotes", "tab\there \"quoted\" \\ back")),
                "[INFO] BUILD FAILURE\n[ERROR] Tests run: 44, Failures: 2", List.of(), true);
    }

    @Test
    void writesTheFieldsOfSpecSixInSnakeCase() throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(failedRecord().toJson());

        assertThat(fieldNames(json)).containsExactlyInAnyOrder("repo", "commit", "command", "status", "exit_code",
                "started_at", "duration_ms", "tests", "failures", "log_tail", "problems", "sandboxed", "digest");
        assertThat(fieldNames(json.get("tests")))
                .containsExactlyInAnyOrder("total", "passed", "failed", "skipped", "errors");
        assertThat(json.get("status").asText()).isEqualTo("failed");
        assertThat(json.get("started_at").asText()).isEqualTo("2025-03-14T10:00:00.250Z");
        assertThat(json.get("failures").get(0).get("name").asText()).isEqualTo("com.example.GreeterTest.greets");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void readsBackWhatItWrote() {
        EvidenceRecord record = failedRecord();

        assertThat(EvidenceRecord.fromJson(record.toJson())).isEqualTo(record);
    }

    @Test
    void theDigestIsTheSha256OfTheCanonicalJsonOfTheOtherFields() {
        // Computed independently: python3 json.dumps(fields, sort_keys=True, separators=(",", ":"),
        // ensure_ascii=False), UTF-8, sha256; see the canonical text in the next test.
        assertThat(failedRecord().digest())
                .isEqualTo("f2214ac3adff67289309e45ca6d5613bb41bf205d46efef438480e8d1e6a699a");
        assertThat(failedRecord().verifyDigest()).isTrue();
    }

    @Test
    void canonicalJsonSortsKeysEverywhereAndHasNoWhitespace() throws Exception {
        ObjectNode fields = (ObjectNode) JSON.readTree(failedRecord().toJson());
        fields.remove("digest");

        assertThat(CanonicalJson.write(fields)).isEqualTo("{\"command\":\"mvn -B test\",\"commit\":\"" + COMMIT + "\","
                + "\"duration_ms\":12345,\"exit_code\":1,\"failures\":[{\"message\":\"expected: <Hi> but was: <Hello>\","
                + "\"name\":\"com.example.GreeterTest.greets\"},{\"message\":\"tab\\there \\\"quoted\\\" \\\\ back\","
                + "\"name\":\"com.example.ÜberTest.quotes\"}],\"log_tail\":\"[INFO] BUILD FAILURE\\n[ERROR] Tests run: 44, "
                + "Failures: 2\",\"problems\":[],\"repo\":\"demo\",\"sandboxed\":true,\"started_at\":\"2025-03-14T10:00:00.250Z\","
                + "\"status\":\"failed\",\"tests\":{\"errors\":0,\"failed\":2,\"passed\":41,\"skipped\":1,\"total\":44}}");
    }

    @Test
    void canonicalJsonEscapesControlCharactersInLowerCaseHex() throws Exception {
        assertThat(CanonicalJson.write(JSON.readTree("{\"b\":\"\\u001f\\u0000\",\"a\":null,\"c\":[true,-3]}")))
                .isEqualTo("{\"a\":null,\"b\":\"\\u001f\\u0000\",\"c\":[true,-3]}");
    }

    static Stream<Arguments> tamperings() {
        return Stream.of(
                argumentSet("status flipped to passed", (Consumer<ObjectNode>) j -> j.put("status", "passed")),
                argumentSet("a failure count lowered", (Consumer<ObjectNode>) j -> ((ObjectNode) j.get("tests")).put("failed", 0)),
                argumentSet("another commit", (Consumer<ObjectNode>) j -> j.put("commit", "f".repeat(40))),
                argumentSet("exit code zeroed", (Consumer<ObjectNode>) j -> j.put("exit_code", 0)),
                argumentSet("a failure removed", (Consumer<ObjectNode>) j -> j.withArray("failures").remove(0)),
                argumentSet("the log tail edited", (Consumer<ObjectNode>) j -> j.put("log_tail", "all good")),
                argumentSet("a field added", (Consumer<ObjectNode>) j -> j.put("reviewed_by", "model")),
                argumentSet("a field removed", (Consumer<ObjectNode>) j -> j.remove("problems")));
    }

    @ParameterizedTest
    @MethodSource("tamperings")
    void verificationDetectsATamperedField(Consumer<ObjectNode> tamper) throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(failedRecord().toJson());
        tamper.accept(json);

        assertThat(EvidenceRecord.verifyDigest(json.toString())).isFalse();
        assertThat(EvidenceService.verify(json.toString())).isFalse();
    }

    @Test
    void aTamperedRecordObjectFailsVerificationToo() {
        EvidenceRecord record = failedRecord();
        EvidenceRecord forged = new EvidenceRecord(record.repo(), record.commit(), record.command(), EvidenceStatus.PASSED,
                0, record.startedAt(), record.durationMs(), record.tests(), record.failures(), record.logTail(),
                record.problems(), record.sandboxed(), record.digest());

        assertThat(forged.verifyDigest()).isFalse();
    }

    @Test
    void storedJsonVerifiesAsItIsEvenWithFieldsThisVersionDoesNotKnow() throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(failedRecord().toJson());
        json.remove("digest");
        json.put("runner", "quorum-2");
        json.put("digest", CanonicalJson.sha256Hex(json.deepCopy().without("digest")));

        assertThat(EvidenceRecord.verifyDigest(json.toString())).isTrue();
        assertThat(EvidenceRecord.verifyDigest(failedRecord().toJson())).isTrue();
    }

    @Test
    void textThatIsNotEvidenceDoesNotVerify() {
        assertThat(EvidenceRecord.verifyDigest("not json")).isFalse();
        assertThat(EvidenceRecord.verifyDigest("[1,2]")).isFalse();
        assertThat(EvidenceRecord.verifyDigest("{\"commit\":\"x\"}")).isFalse();
        assertThat(EvidenceRecord.verifyDigest("{\"x\":1.5,\"digest\":\"00\"}")).isFalse();
    }

    @Test
    void readingSomethingElseSaysItIsNotAnEvidenceRecord() throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(failedRecord().toJson());
        json.put("surprise", 1);

        assertThatThrownBy(() -> EvidenceRecord.fromJson(json.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not an evidence record: Unrecognized field \"surprise\"");
    }

    @Test
    void refusesACommitThatIsNotAFullSha() {
        assertThatThrownBy(() -> EvidenceRecord.sealed("demo", "abc1234", "x", EvidenceStatus.ERROR, null, Instant.now(), 0,
                TestCounts.NONE, List.of(), "", List.of(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commit must be a full lower-case SHA-1, got abc1234");
    }

    @Test
    void countsMustAddUp() {
        assertThatThrownBy(() -> new TestCounts(5, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("total 5 is not passed + failed + skipped + errors");
        assertThatThrownBy(() -> new TestCounts(3, 2, 0, 1, 0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("flaky 3 is more than passed 2");
    }

    /** Written by Quorum before {@code flaky} existed (commit 630cd35), as Redis holds it. */
    private static String recordBeforeFlaky() throws Exception {
        return Files.readString(Path.of(EvidenceRecordTest.class.getResource("/evidence/records/before-flaky.json").toURI()));
    }

    @Test
    void evidenceStoredBeforeFlakyExistedStillReadsAndVerifies() throws Exception {
        String stored = recordBeforeFlaky();

        EvidenceRecord record = EvidenceRecord.fromJson(stored);

        assertThat(stored).doesNotContain("flaky");
        assertThat(record.tests()).isEqualTo(new TestCounts(43, 42, 0, 1, 0, 0));
        assertThat(EvidenceRecord.verifyDigest(stored)).isTrue();
        assertThat(record.verifyDigest()).isTrue();
        assertThat(record.toJson()).isEqualTo(stored);
    }

    @Test
    void flakyTestsAreWrittenInTheCountsAndSealedByTheDigest() throws Exception {
        EvidenceRecord record = EvidenceRecord.sealed("demo", COMMIT, "mvn -B test", EvidenceStatus.PASSED, 0,
                Instant.parse("2025-03-14T10:00:00.250Z"), 12_345, new TestCounts(44, 43, 0, 1, 0, 2), List.of(), "", List.of(), true);
        ObjectNode json = (ObjectNode) JSON.readTree(record.toJson());

        assertThat(fieldNames(json.get("tests")))
                .containsExactlyInAnyOrder("total", "passed", "failed", "skipped", "errors", "flaky");
        assertThat(json.get("tests").get("flaky").asInt()).isEqualTo(2);
        assertThat(EvidenceRecord.fromJson(record.toJson())).isEqualTo(record);
        assertThat(EvidenceRecord.verifyDigest(record.toJson())).isTrue();

        ((ObjectNode) json.get("tests")).put("flaky", 0);
        assertThat(EvidenceRecord.verifyDigest(json.toString())).isFalse();
        ((ObjectNode) json.get("tests")).remove("flaky");
        assertThat(EvidenceRecord.verifyDigest(json.toString())).isFalse();
    }
}
