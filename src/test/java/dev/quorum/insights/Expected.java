package dev.quorum.insights;

import dev.quorum.config.Directory;
import dev.quorum.conversation.Identity;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import static dev.quorum.request.RequestState.*;

/** Every figure of a range worked out by brute force from what {@link SeededHistory} did, request by request. */
final class Expected {
    private Expected() {}

    static Map<String, Object> report(SeededHistory h, Insights.Range range, Insights.Viewer viewer, Directory directory) {
        Predicate<SeededHistory.Seeded> in = s -> {
            LocalDate d = day(s.created);
            return !d.isBefore(range.since()) && !d.isAfter(range.until());
        };
        List<SeededHistory.Seeded> all = h.requests.stream().filter(in).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("since", range.since().toString());
        out.put("until", range.until().toString());
        TreeMap<String, TreeMap<String, Long>> perDay = new TreeMap<>();
        for (var s : all) perDay.computeIfAbsent(day(s.created).toString(), k -> new TreeMap<>()).merge(s.type.wire() + "|" + s.state.wire(), 1L, Long::sum);
        List<Map<String, Object>> rows = new ArrayList<>();
        perDay.forEach((d, m) -> m.forEach((ts, n) -> rows.add(Insights.row("day", d, "type", ts.split("\\|")[0], "state", ts.split("\\|")[1], "count", n))));
        out.put("requests_per_day", rows);

        Map<String, List<Long>> waits = new TreeMap<>();
        List<Long> allWaits = new ArrayList<>();
        Map<String, List<Long>> stages = new LinkedHashMap<>();
        for (String st : Insights.STAGES) stages.put(st, new ArrayList<>());
        for (var s : all) {
            Instant asked = s.created;
            boolean work = s.type == RequestType.CODE || s.type == RequestType.RESEARCH;
            if (work && (s.state == SUCCEEDED || s.state == FAILED)) stages.get("agent").add(ms(asked, s.at.get(s.state)));
            if (s.at.containsKey(AWAITING_APPROVAL)) stages.get("evidence").add(ms(asked, s.at.get(AWAITING_APPROVAL)));
            if (s.at.containsKey(EXECUTING)) {
                long w = ms(s.at.get(AWAITING_APPROVAL), s.at.get(EXECUTING));
                stages.get("quorum").add(w);
                waits.computeIfAbsent(s.policy, k -> new ArrayList<>()).add(w);
                allWaits.add(w);
            }
            if (s.state == DONE) {
                stages.get(s.type == RequestType.DEPLOY ? "deployed" : "merged").add(ms(s.at.get(EXECUTING), s.at.get(DONE)));
                stages.get("lead").add(ms(asked, s.at.get(DONE)));
            }
        }
        out.put("approval_wait_ms", summary(allWaits));
        List<Map<String, Object>> byPolicy = new ArrayList<>();
        waits.forEach((p, l) -> {
            Map<String, Object> m = new LinkedHashMap<>(Map.of("policy", p));
            m.putAll(summary(l));
            byPolicy.add(m);
        });
        out.put("approval_wait_by_policy", byPolicy);

        List<Map<String, Object>> costPerDay = new ArrayList<>();
        BigDecimal cost = BigDecimal.ZERO;
        for (LocalDate d : range.since().datesUntil(range.until().plusDays(1)).toList()) {
            BigDecimal c = all.stream().filter(s -> day(s.created).equals(d)).map(s -> s.cost).reduce(BigDecimal.ZERO, BigDecimal::add);
            costPerDay.add(Insights.row("day", d.toString(), "usd", Insights.usd(c)));
            cost = cost.add(c);
        }
        out.put("cost_usd_per_day", costPerDay);
        TreeMap<String, TreeMap<String, Long>> deploys = new TreeMap<>();
        Map<String, Long> deploysByEnv = new TreeMap<>();
        Map<String, Long> incidentsByEnv = new TreeMap<>();
        for (var s : all) {
            if (s.type == RequestType.DEPLOY && s.state == DONE) {
                deploys.computeIfAbsent(day(s.created).toString(), k -> new TreeMap<>()).merge(s.env, 1L, Long::sum);
                deploysByEnv.merge(s.env, 1L, Long::sum);
            }
            if (s.incident != null) incidentsByEnv.merge(s.env, 1L, Long::sum);
        }
        List<Map<String, Object>> deployRows = new ArrayList<>();
        deploys.forEach((d, m) -> m.forEach((env, n) -> deployRows.add(Insights.row("day", d, "environment", env, "count", n))));
        out.put("deploys_per_day", deployRows);

        long runs = all.stream().filter(s -> s.evidence != null && (s.state == SUCCEEDED || s.state == FAILED)).count();
        long claimed = all.stream().filter(s -> s.evidence != null && RunClaims.saysTestsPass(s.message)).count();
        long bad = all.stream().filter(s -> s.evidence != null && !s.evidence && RunClaims.saysTestsPass(s.message)).count();
        out.put("claim_vs_evidence", Insights.row("runs", runs, "claimed_pass", claimed, "claimed_pass_but_failed", bad, "rate", Insights.ratio(bad, runs)));
        Map<String, Object> lead = new LinkedHashMap<>();
        stages.forEach((st, l) -> lead.put(st, summary(l)));
        out.put("lead_time_ms", lead);
        Map<String, Long> approvals = new TreeMap<>();
        for (var s : all) s.approvers.forEach(p -> approvals.merge(p, 1L, Long::sum));
        out.put("approvals_by_person", Insights.entries(approvals, "person", "count"));

        long days = range.until().toEpochDay() - range.since().toEpochDay() + 1;
        List<Map<String, Object>> perEnv = new ArrayList<>();
        java.util.Set<String> envs = new java.util.TreeSet<>(deploysByEnv.keySet());
        envs.addAll(incidentsByEnv.keySet());
        for (String env : envs) {
            long d = deploysByEnv.getOrDefault(env, 0L);
            long i = incidentsByEnv.getOrDefault(env, 0L);
            perEnv.add(Insights.row("environment", env, "deploys", d, "per_day", Insights.ratio(d, days), "incidents", i, "change_failure_rate", Insights.ratio(i, d)));
        }
        out.put("deploy_frequency", perEnv);
        // time to restore: replayed in the order the history did it, counted on the restoring deploy's day
        Map<String, Instant> open = new java.util.HashMap<>();
        List<Long> restores = new ArrayList<>();
        int deployIndex = 0;
        List<SeededHistory.Seeded> doneDeploys = h.requests.stream().filter(s -> s.type == RequestType.DEPLOY && s.state == DONE).toList();
        for (var e : h.happened) {
            if (e.incident()) {
                open.putIfAbsent(e.env(), e.at());
                continue;
            }
            SeededHistory.Seeded deploy = doneDeploys.get(deployIndex++);
            Instant since = open.remove(e.env());
            if (since != null && in.test(deploy)) restores.add(ms(since, e.at()));
        }
        long deployCount = deploysByEnv.values().stream().mapToLong(Long::longValue).sum();
        long incidentCount = incidentsByEnv.values().stream().mapToLong(Long::longValue).sum();
        out.put("change_failure", Insights.row("deploys", deployCount, "incidents", incidentCount, "rate", Insights.ratio(incidentCount, deployCount),
                "restored", (long) restores.size(), "time_to_restore_ms", summary(restores)));
        Map<String, BigDecimal> byPerson = new TreeMap<>();
        for (var s : all) {
            if (s.cost.signum() > 0) byPerson.merge(directory.personOf(Identity.parse(s.requester)), s.cost, BigDecimal::add);
        }
        List<Map<String, Object>> people = new ArrayList<>();
        byPerson.forEach((p, c) -> {
            if (viewer.manager() || p.equals(viewer.person())) people.add(Insights.row("person", p, "usd", Insights.usd(c)));
        });
        out.put("cost_usd_by_person", people);
        out.put("cost_usd_by_person_scope", viewer.manager() ? "everyone" : "yours");
        out.put("cost_usd_total", Insights.usd(cost));
        long merged = all.stream().filter(s -> s.type == RequestType.MERGE && s.state == DONE).count();
        out.put("changes_merged", merged);
        out.put("cost_usd_per_merged_change", merged == 0 ? null : Insights.usd(cost.divide(BigDecimal.valueOf(merged), 6, RoundingMode.HALF_UP)));
        Map<String, Long> budget = new TreeMap<>();
        for (var s : all) if (s.budget != null && (s.state == SUCCEEDED || s.state == FAILED)) budget.merge(s.budget, 1L, Long::sum);
        out.put("budget_stops", Insights.entries(budget, "limit", "count"));
        List<RequestState> closedStates = List.of(DONE, REJECTED, EXPIRED, STALE, FAILED, CANCELLED);
        long closed = all.stream().filter(s -> s.type.isAction() && closedStates.contains(s.state)).count();
        Map<String, Object> rates = new LinkedHashMap<>();
        rates.put("actions_closed", closed);
        for (var r : Map.of("veto", REJECTED, "expiry", EXPIRED, "stale", STALE).entrySet()) {
            long n = all.stream().filter(s -> s.type.isAction() && s.state == r.getValue()).count();
            rates.put(r.getKey(), Insights.row("count", n, "rate", Insights.ratio(n, closed)));
        }
        out.put("outcome_rates", rates);
        return out;
    }

    static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    private static long ms(Instant from, Instant to) {
        return to.toEpochMilli() - from.toEpochMilli();
    }

    /** p50/p90 by nearest rank over the exact durations, then to its histogram bucket's lower bound. */
    static Map<String, Object> summary(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", rank(sorted, 0.5));
        m.put("p90", rank(sorted, 0.9));
        m.put("count", (long) sorted.size());
        return m;
    }

    private static Long rank(List<Long> sorted, double p) {
        if (sorted.isEmpty()) return null;
        int r = (int) Math.max(1, Math.ceil(p * sorted.size()));
        return Buckets.floor(Buckets.of(sorted.get(r - 1)));
    }
}
