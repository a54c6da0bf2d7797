package dev.quorum.approval;

import dev.quorum.command.Times;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rule that applies to one request: its action's policy, raised by every path rule the
 * change matches. Fixed when the request opens for votes, so that what voters saw is what counts.
 *
 * @param action    {@code merge} or {@code deploy.<environment>}
 * @param approvals distinct eligible humans needed
 * @param eligible  groups whose members may vote
 * @param require   group to the approvals needed from it
 * @param veto      one reject from an eligible member ends the request
 * @param ttl       how long votes stay open
 * @param raisedBy  the path rules that raised the bar, e.g. {@code infra/**}
 */
public record AppliedPolicy(String action, int approvals, List<String> eligible, Map<String, Integer> require,
                            boolean veto, Duration ttl, List<String> raisedBy) {
    public AppliedPolicy {
        eligible = List.copyOf(eligible);
        require = new TreeMap<>(require);
        raisedBy = List.copyOf(raisedBy);
    }

    /** One line, e.g. {@code 2 approvals from engineers or oncall, at least 1 from oncall; one reject vetoes; open for 2 h}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        String main = approvals + (approvals == 1 ? " approval" : " approvals") + " from " + String.join(" or ", eligible);
        StringBuilder sb = new StringBuilder(main);
        require.forEach((g, n) -> sb.append(", at least ").append(n).append(" from ").append(g));
        parts.add(sb.toString());
        parts.add(veto ? "one reject vetoes" : "no veto");
        parts.add("open for " + Times.span(ttl));
        if (!raisedBy.isEmpty()) parts.add("raised for changes in " + String.join(", ", raisedBy));
        return String.join("; ", parts);
    }
}
