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
 * @param rejecters  who rejected, in order (with their reasons)
 * @param needed     the approvals the policy asks for in all
 * @param more       approvals still needed beyond those given, whatever their groups
 * @param fromGroups approvals still needed from each required group, e.g. {@code oncall=1}
 */
public record Tally(List<String> approvers, List<String> rejecters, int needed, int more, Map<String, Integer> fromGroups) {
    public Tally {
        approvers = List.copyOf(approvers);
        rejecters = List.copyOf(rejecters);
        fromGroups = new TreeMap<>(fromGroups);
    }

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
        Map<String, Integer> fromGroups = new TreeMap<>();
        policy.require().forEach((group, count) -> {
            int lacking = count - byGroup.getOrDefault(group, 0);
            if (lacking > 0) fromGroups.put(group, lacking);
        });
        return new Tally(approvers, rejecters, policy.approvals(), Math.max(0, policy.approvals() - approvers.size()), fromGroups);
    }

    public boolean met() {
        return more == 0 && fromGroups.isEmpty();
    }

    /** What is still needed, one phrase each, for the API: {@code 1 more approval}, {@code 1 from oncall}. */
    public List<String> missing() {
        List<String> out = new ArrayList<>();
        if (more > 0) out.add(more + (approvers.isEmpty() ? "" : " more") + (more == 1 ? " approval" : " approvals"));
        fromGroups.forEach((group, n) -> out.add(n + " from " + group));
        return out;
    }

    /**
     * The votes given: {@code no approvals yet}, {@code 2 approvals (bob, carol)}, and who
     * rejected; never "3 of 2", since a group minimum can need more people than the count.
     */
    public String given() {
        return approvals() + rejections();
    }

    /**
     * Where an open vote stands: {@code 1 approval (bob); still needs 1 more approval}, {@code 2
     * approvals (bob, carol); still needs 1 from oncall}; once met, only the votes given.
     */
    public String line() {
        return approvals() + (met() ? "" : "; still needs " + stillNeeded()) + rejections();
    }

    private String approvals() {
        return approvers.isEmpty() ? "no approvals yet"
                : approvers.size() + (approvers.size() == 1 ? " approval (" : " approvals (") + String.join(", ", approvers) + ")";
    }

    private String rejections() {
        return rejecters.isEmpty() ? "" : "; rejected by " + String.join(", ", rejecters);
    }

    /**
     * The people still needed, in plain words. When the group minimums take at least as many
     * approvals as are missing, they are all there is to say ({@code 1 from oncall}); else the
     * count comes first and the groups say who must be among them
     * ({@code 2 approvals, at least 1 from oncall}).
     */
    private String stillNeeded() {
        int fromGroupsTotal = fromGroups.values().stream().mapToInt(Integer::intValue).sum();
        List<String> groups = new ArrayList<>();
        fromGroups.forEach((group, n) -> groups.add(n + " from " + group));
        if (more <= fromGroupsTotal) return String.join(" and ", groups);
        String count = more + (approvers.isEmpty() ? "" : " more") + (more == 1 ? " approval" : " approvals");
        return groups.isEmpty() ? count : count + ", at least " + String.join(" and ", groups);
    }
}
