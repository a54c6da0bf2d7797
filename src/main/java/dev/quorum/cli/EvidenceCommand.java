package dev.quorum.cli;

import dev.quorum.audit.SealKey;
import dev.quorum.config.ConfigException;
import dev.quorum.config.QuorumConfig;
import dev.quorum.evidence.EvidenceRecord;
import dev.quorum.evidence.EvidenceStore;
import dev.quorum.evidence.StoredEvidence;
import dev.quorum.request.RequestIds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code quorum evidence verify <id>}: recomputes an evidence record's digest from what is stored and checks its seal. */
@Command(name = "evidence", mixinStandardHelpOptions = true, description = "Evidence tools.",
        subcommands = EvidenceCommand.Verify.class)
final class EvidenceCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the digest and the seal of a request's evidence (or of a record, by digest); exit 0 when both hold, 1 when not.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "<id>", description = "a request id such as R7, or an evidence digest")
        String id;

        @Override
        public Integer call() throws Exception {
            QuorumConfig cfg = config.loadOrExit();
            Optional<SealKey> key;
            try {
                key = SealKey.find(cfg.dataDir());
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return QuorumCli.CONFIG_ERROR;
            }
            if (key.isEmpty()) {
                System.out.println("cannot check seals: there is no seal key at " + SealKey.file(cfg.dataDir())
                        + " (run this with Quorum's data folder, or restore the key)");
                return 1;
            }
            try (AuditCommand.RedisAccess access = AuditCommand.RedisAccess.open(cfg)) {
                EvidenceStore store = new EvidenceStore(access.redis(), key.get());
                Optional<String> digest = RequestIds.isId(id) ? store.digestOf(RequestIds.normalize(id)) : Optional.of(id);
                StoredEvidence stored = digest.map(store::inspect).orElseGet(StoredEvidence.Missing::new);
                String name = "evidence " + digest.orElse("");
                return switch (stored) {
                    case StoredEvidence.Sealed s -> {
                        EvidenceRecord r = s.record();
                        System.out.println(name + " verified: " + r.status().wireName() + " at " + r.commit()
                                + " (" + r.tests().total() + " tests); digest and seal hold");
                        yield 0;
                    }
                    case StoredEvidence.Unsealed u -> {
                        System.out.println(name + " matches its digest but carries no seal: it was stored before keying began, "
                                + "or forged; Quorum never attaches it to a vote or a deploy");
                        yield 1;
                    }
                    case StoredEvidence.Broken b -> {
                        System.out.println(name + " " + b.problem());
                        yield 1;
                    }
                    case StoredEvidence.Missing m -> {
                        System.out.println("no evidence for " + id);
                        yield 1;
                    }
                };
            }
        }
    }
}
