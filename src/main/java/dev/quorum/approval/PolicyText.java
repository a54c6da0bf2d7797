package dev.quorum.approval;

import dev.quorum.command.Times;
import dev.quorum.config.PolicyConfig;
import dev.quorum.config.QuorumConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Policies in words, for {@code help}, {@code policy} and approval cards. Pure. */
public final class PolicyText {
    private PolicyText() {}

    /** The policy that applies to an action: {@code deploy.<env>} falls back to {@code deploy}. */
    public static Optional<PolicyConfig> find(QuorumConfig config, String action) {
        PolicyConfig exact = config.policies().get(action);
        if (exact != null || !action.startsWith("deploy.")) return Optional.ofNullable(exact);
        return Optional.ofNullable(config.policies().get("deploy"));
    }

    /** One line, e.g. {@code 2 approvals from engineers or oncall, at least 1 from oncall; veto on; expires after 2h}. */
    public static String describe(PolicyConfig p) {
        List<String> parts = new ArrayList<>();
        String who = String.join(" or ", p.eligible());
        String main = p.approvals() + (p.approvals() == 1 ? " approval" : " approvals") + " from " + who;
        if (!p.require().isEmpty()) {
            main += ", " + p.require().stream().map(m -> "at least " + m.count() + " from " + m.group())
                    .collect(Collectors.joining(", "));
        }
        parts.add(main);
        parts.add(p.veto() ? "one reject from an eligible member vetoes" : "no veto");
        parts.add("expires after " + Times.span(p.ttl()));
        for (PolicyConfig.PathRule rule : p.paths()) {
            List<String> bar = new ArrayList<>();
            if (rule.approvals() != null) bar.add(rule.approvals() + " approvals");
            rule.require().forEach(m -> bar.add("at least " + m.count() + " from " + m.group()));
            parts.add("changes touching `" + rule.match() + "` need " + String.join(", ", bar));
        }
        parts.add("authors never approve their own change");
        return String.join("; ", parts);
    }
}
