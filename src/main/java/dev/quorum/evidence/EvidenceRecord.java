package dev.quorum.evidence;

import dev.quorum.audit.CanonicalJson;
import dev.quorum.repo.Sha;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Evidence that Quorum ran a repository's tests at an exact commit (SPEC §6), sealed by a digest.
 *
 * <p>JSON field names are snake_case. Beyond the fields of SPEC §6 a record carries
 * {@code repo}, {@code status} and {@code problems}, so that a reader can tell why a run is not
 * {@code passed} without the log. Immutable and thread-safe.
 *
 * @param repo       the repository's configured name
 * @param commit     full 40-hex SHA of the commit the tests ran on
 * @param command    the test command as configured (redacted)
 * @param status     the verdict; see {@link EvidenceStatus}
 * @param exitCode   the command's exit code, {@code null} when no process ran (cancelled while
 *                   queued, or the workspace could not be prepared); a killed process reports
 *                   what the OS gave it, e.g. 143
 * @param startedAt  when the command started (or the run gave up), ISO-8601 UTC, e.g.
 *                   {@code 2025-01-31T12:00:00.123Z}
 * @param durationMs wall time of the command, 0 when none ran
 * @param tests      counts over all parsed reports, exact even when {@code failures} is cut short
 * @param failures   the first failed or erroneous test cases, at most
 *                   {@link EvidenceService#MAX_FAILURES_LISTED}, redacted
 * @param logTail    the last lines of the merged stdout and stderr, redacted, at most about 4 KB
 * @param problems   what kept the run from being judged on its tests, one short sentence each
 *                   (e.g. {@code no JUnit XML report matched target/surefire-reports/*.xml});
 *                   empty for a clean run
 * @param sandboxed  whether the command ran in Quorum's sandbox (SPEC §11); {@code false} only for a
 *                   repository set to {@code sandbox: off}; absent ({@code null}) in records written
 *                   before Quorum had a sandbox, so that their digests still verify
 * @param digest     lower-case hex SHA-256 of the canonical JSON (RFC 8785) of all other fields
 */
public record EvidenceRecord(
        String repo,
        String commit,
        String command,
        EvidenceStatus status,
        Integer exitCode,
        String startedAt,
        long durationMs,
        TestCounts tests,
        List<TestFailure> failures,
        String logTail,
        List<String> problems,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean sandboxed,
        String digest) {

    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String DIGEST_FIELD = "digest";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    public EvidenceRecord {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(tests, "tests");
        Objects.requireNonNull(logTail, "log_tail");
        Objects.requireNonNull(digest, "digest");
        if (commit == null || !FULL_SHA.matcher(commit).matches()) {
            throw new IllegalArgumentException("commit must be a full lower-case SHA-1, got " + commit);
        }
        try {
            Instant.parse(Objects.requireNonNull(startedAt, "started_at"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("started_at is not an ISO-8601 instant: " + startedAt, e);
        }
        if (durationMs < 0) {
            throw new IllegalArgumentException("duration_ms must not be negative");
        }
        if (!SHA256_HEX.matcher(digest).matches()) {
            throw new IllegalArgumentException("digest must be 64 lower-case hex digits, got " + digest);
        }
        failures = List.copyOf(Objects.requireNonNull(failures, "failures"));
        problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
    }

    /** Builds a record from its fields and seals it with the digest they give. */
    public static EvidenceRecord sealed(String repo, String commit, String command, EvidenceStatus status,
                                        Integer exitCode, Instant startedAt, long durationMs, TestCounts tests,
                                        List<TestFailure> failures, String logTail, List<String> problems,
                                        boolean sandboxed) {
        String placeholder = "0".repeat(64);
        EvidenceRecord unsealed = new EvidenceRecord(repo, commit, command, status, exitCode,
                startedAt.toString(), durationMs, tests, failures, logTail, problems, sandboxed, placeholder);
        return unsealed.withDigest(unsealed.computeDigest());
    }

    /** The JSON of this record, snake_case, digest included. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an evidence record always serialises", e);
        }
    }

    /**
     * Reads a record written by {@link #toJson()}. Does not check the digest: see
     * {@link #verifyDigest()}.
     *
     * @throws IllegalArgumentException when the text is not an evidence record (with the reason)
     */
    public static EvidenceRecord fromJson(String json) {
        try {
            return JSON.readValue(json, EvidenceRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an evidence record: " + e.getOriginalMessage(), e);
        }
    }

    /** True when {@link #digest()} is the digest of this record's other fields. */
    public boolean verifyDigest() {
        return computeDigest().equals(digest);
    }

    /**
     * True when stored evidence JSON carries the digest of its other fields, as they are in the
     * text: fields this version does not know count too, so records from a newer Quorum verify.
     * False for text that is not a JSON object with a {@code digest} string.
     */
    public static boolean verifyDigest(String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return false;
        }
        if (!(tree instanceof ObjectNode object) || !object.path(DIGEST_FIELD).isTextual()) {
            return false;
        }
        String claimed = object.remove(DIGEST_FIELD).textValue();
        try {
            return CanonicalJson.sha256Hex(object).equals(claimed);
        } catch (IllegalArgumentException notCanonicalisable) {
            return false;
        }
    }

    /** The first 8 hex digits of the digest, as chat shows it. */
    public String shortDigest() {
        return digest.substring(0, 8);
    }

    /** True when the record says the command ran outside any sandbox ({@code sandbox: off}). */
    public boolean unsandboxed() {
        return Boolean.FALSE.equals(sandboxed);
    }

    /** The first 7 hex digits of the commit, as chat shows it. */
    public String shortCommit() {
        return Sha.abbrev(commit);
    }

    private String computeDigest() {
        ObjectNode tree = JSON.valueToTree(this);
        tree.remove(DIGEST_FIELD);
        return CanonicalJson.sha256Hex(tree);
    }

    private EvidenceRecord withDigest(String newDigest) {
        return new EvidenceRecord(repo, commit, command, status, exitCode, startedAt, durationMs, tests,
                failures, logTail, problems, sandboxed, newDigest);
    }
}
