package dev.quorum.config;

import java.time.Duration;
import java.util.List;

/**
 * The quorum rule for one action ({@code merge}, {@code deploy.<environment>}), SPEC §5.
 *
 * @param approvals distinct eligible humans needed
 * @param eligible  groups whose members may vote
 * @param require   of the approvals, at least {@code count} from each listed group
 * @param veto      one {@code reject} from an eligible human ends the request
 * @param ttl       the request expires this long after it became open for votes
 * @param paths     stricter rules for changes touching matching paths
 */
public record PolicyConfig(Integer approvals, List<String> eligible, List<GroupMinimum> require,
                           Boolean veto, Duration ttl, List<PathRule> paths) {
    public PolicyConfig {
        approvals = approvals == null ? 1 : approvals;
        eligible = eligible == null ? List.of() : List.copyOf(eligible);
        require = require == null ? List.of() : List.copyOf(require);
        veto = veto == null || veto;
        ttl = ttl == null ? Duration.ofHours(24) : ttl;
        paths = paths == null ? List.of() : List.copyOf(paths);
    }

    public record GroupMinimum(String group, Integer count) {
        public GroupMinimum {
            count = count == null ? 1 : count;
        }
    }

    /**
     * @param match     a glob over changed file paths, e.g. {@code infra/**}
     * @param approvals raises the number of approvals to at least this
     * @param require   extra group minimums
     */
    public record PathRule(String match, Integer approvals, List<GroupMinimum> require) {
        public PathRule {
            require = require == null ? List.of() : List.copyOf(require);
        }
    }
}
