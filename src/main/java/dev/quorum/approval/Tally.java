package dev.quorum.approval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the votes stand against the policy, in words for cards and replies. Pure; the decision
 * itself is made atomically in Redis ({@code vote_tally.lua}), this only describes it.
 *
 * @param approvers  who approved, in order
 * @param rejecters  who rejected, in order
 * @param missing    what is still needed, e.g. {@code 1 more approval}, {@code 1 from oncall}
 */
public record Tally(List<String> approvers, List<String> rejecters, int needed, List<String> missing) {
    public static Tally of(AppliedPolicy policy, List<Vote> votes) {
        List<String> approvers = new ArrayList<>();
        List<String> rejecters = new ArrayList<>();
        Map<String, Integer> byGroup = new TreeMap<>();
        for (Vote v : votes) {
            if (v.approves()) {
                approvers.add(v.name());
                v.groups().forEach(g -> byGroup.merge(g, 1, Integer::sum));
            } else {
                rejecters.add(v.name() + (v.reason() == null ? "" : " (" + v.reason() + ")"));
            }
        }
        List<String> missing = new ArrayList<>();
        int more = policy.approvals() - approvers.size();
        if (more > 0) missing.add(more + (more == 1 ? " more approval" : " more approvals"));
        policy.require().forEach((group, count) -> {
            int lacking = count - byGroup.getOrDefault(group, 0);
            if (lacking > 0) missing.add(lacking + " from " + group);
        });
        return new Tally(approvers, rejecters, policy.approvals(), missing);
    }

    public boolean met() {
        return missing.isEmpty();
    }

    /** {@code 1 of 2 approvals (bob); needs 1 more approval, 1 from oncall} */
    public String line() {
        StringBuilder sb = new StringBuilder(approvers.size() + " of " + needed + (needed == 1 ? " approval" : " approvals"));
        if (!approvers.isEmpty()) sb.append(" (").append(String.join(", ", approvers)).append(")");
        if (!missing.isEmpty()) sb.append("; needs ").append(String.join(", ", missing));
        if (!rejecters.isEmpty()) sb.append("; rejected by ").append(String.join(", ", rejecters));
        return sb.toString();
    }
}
