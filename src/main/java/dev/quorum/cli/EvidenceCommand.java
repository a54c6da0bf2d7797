package dev.quorum.cli;

import dev.quorum.config.QuorumConfig;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceStore;
import dev.quorum.request.RequestIds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code quorum evidence verify <id>}: recomputes an evidence record's digest from what is stored. */
@Command(name = "evidence", mixinStandardHelpOptions = true, description = "Evidence tools.",
        subcommands = EvidenceCommand.Verify.class)
final class EvidenceCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute the digest of a request's evidence (or of a record, by digest); exit 0 when it matches, 1 when not.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "<id>", description = "a request id such as R7, or an evidence digest")
        String id;

        @Override
        public Integer call() throws Exception {
            QuorumConfig cfg = config.loadOrExit();
            try (AuditCommand.RedisAccess access = AuditCommand.RedisAccess.open(cfg)) {
                EvidenceStore store = new EvidenceStore(access.redis());
                Optional<String> digest = RequestIds.isId(id) ? store.digestOf(RequestIds.normalize(id)) : Optional.of(id);
                Optional<String> json = digest.flatMap(store::json);
                if (json.isEmpty()) {
                    System.out.println("no evidence for " + id);
                    return 1;
                }
                if (!EvidenceRecord.verifyDigest(json.get())) {
                    System.out.println("evidence " + digest.get() + " does NOT match its digest: the stored record was changed");
                    return 1;
                }
                EvidenceRecord r = EvidenceRecord.fromJson(json.get());
                System.out.println("evidence " + r.digest() + " verified: " + r.status().wireName() + " at " + r.commit()
                        + " (" + r.tests().total() + " tests)");
                return 0;
            }
        }
    }
}
