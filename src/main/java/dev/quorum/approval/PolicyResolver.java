package dev.quorum.approval;

import dev.quorum.config.PolicyConfig;
import dev.quorum.config.QuorumConfig;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the policy for an action in Quorum's own config (never in the branch being merged) and
 * applies its path rules to the changed files. Pure.
 */
public final class PolicyResolver {
    private PolicyResolver() {}

    /** Empty when no policy covers the action: then it cannot be approved at all. */
    public static Optional<AppliedPolicy> resolve(QuorumConfig config, String action, List<String> changedPaths) {
        return PolicyText.find(config, action).map(p -> apply(action, p, changedPaths));
    }

    static AppliedPolicy apply(String action, PolicyConfig p, List<String> changedPaths) {
        int approvals = p.approvals();
        Map<String, Integer> require = new HashMap<>();
        p.require().forEach(m -> require.merge(m.group(), m.count(), Math::max));
        List<String> raisedBy = new ArrayList<>();
        for (PolicyConfig.PathRule rule : p.paths()) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rule.match());
            if (changedPaths.stream().noneMatch(path -> matcher.matches(Path.of(path)))) continue;
            raisedBy.add(rule.match());
            if (rule.approvals() != null) approvals = Math.max(approvals, rule.approvals());
            rule.require().forEach(m -> require.merge(m.group(), m.count(), Math::max));
        }
        List<String> eligible = new ArrayList<>(p.eligible());
        require.keySet().forEach(g -> {
            if (!eligible.contains(g)) eligible.add(g); // a required group's members may always vote
        });
        int needed = Math.max(approvals, require.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        return new AppliedPolicy(action, needed, eligible, require, p.veto(), p.ttl(), raisedBy);
    }
}
