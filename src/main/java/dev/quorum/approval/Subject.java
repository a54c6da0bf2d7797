package dev.quorum.approval;

import dev.quorum.audit.CanonicalJson;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Exactly what a vote approves (SPEC §5): the target, the commits and the evidence. Votes are
 * bound to its digest; if any part changes, the request goes stale and its votes are void.
 *
 * @param repo           the repository
 * @param target         the branch a merge moves, or the environment a deploy updates
 * @param targetSha      the target branch's commit when verified (merge); what the environment ran when the card was
 *                       posted (deploy; null when Quorum never deployed there): a deploy since makes the request stale
 * @param source         the branch merged, or the ref deployed
 * @param sourceSha      the source's commit when verified
 * @param resultSha      the tested merge result the target moves to (merge); the commit deployed (deploy)
 * @param evidenceDigest the passing evidence for {@code resultSha}
 * @param pullRequest    the pull request a merge lands ({@code merge #123}, or a code request's draft pull request), or
 *                       {@code null}: then {@code source} is its head branch; it is in the digest only when set, so the
 *                       digests of subjects without one are what they always were
 */
public record Subject(String repo, String target, String targetSha, String source, String sourceSha, String resultSha,
                      String evidenceDigest, Integer pullRequest) {
    public Subject {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourceSha, "sourceSha");
        Objects.requireNonNull(resultSha, "resultSha");
        Objects.requireNonNull(evidenceDigest, "evidenceDigest");
    }

    /** A subject that is no pull request. */
    public Subject(String repo, String target, String targetSha, String source, String sourceSha, String resultSha,
                   String evidenceDigest) {
        this(repo, target, targetSha, source, sourceSha, resultSha, evidenceDigest, null);
    }

    /** SHA-256 of the canonical JSON: what a vote is bound to. */
    public String digest() {
        return CanonicalJson.sha256Hex(CanonicalJson.of(toMap()));
    }

    /** As stored, and as the API shows it (SPEC §7 names first). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target);
        m.put("source_sha", sourceSha);
        m.put("merge_sha", resultSha);
        m.put("evidence_digest", evidenceDigest);
        m.put("repo", repo);
        m.put("target_sha", targetSha);
        m.put("source", source);
        if (pullRequest != null) m.put("pull_request", pullRequest);
        return m;
    }

    public static Subject fromMap(Map<String, ?> m) {
        return new Subject(str(m, "repo"), str(m, "target"), str(m, "target_sha"), str(m, "source"), str(m, "source_sha"),
                str(m, "merge_sha"), str(m, "evidence_digest"), m.get("pull_request") == null ? null
                        : Integer.valueOf(m.get("pull_request").toString()));
    }

    private static String str(Map<String, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }
}
