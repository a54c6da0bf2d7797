package dev.quorum.insights;

import dev.quorum.config.Directory;
import dev.quorum.conversation.Identity;
import dev.quorum.store.Redis;
import io.lettuce.core.RedisFuture;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The insights over a range of days, read from the day rollups only (one hash per day, {@link Rollup}): never a scan
 * of the requests, so a view costs the same at 100 or 100,000 of them. Thread-safe; blocking.
 */
public final class Insights {
    /** The longest range one view reads: a year of day hashes. */
    public static final int MAX_DAYS = 366;
    /** The range when none is asked: the last 30 days. */
    static final int DEFAULT_DAYS = 30;
    /** The stages of lead time, in order: asked → agent done, asked → evidence, → quorum, → merged, → deployed; and asked → done. */
    static final List<String> STAGES = List.of("agent", "evidence", "quorum", "merged", "deployed", "lead");

    private final Redis redis;
    private final Directory directory;

    public Insights(Redis redis, Directory directory) {
        this.redis = redis;
        this.directory = directory;
    }

    /** UTC days, both included. */
    public record Range(LocalDate since, LocalDate until) {
        /**
         * The range of {@code since} and {@code until} (ISO dates, each optional: the last 30 days up to today).
         *
         * @throws IllegalArgumentException with the message for the caller: a bad date, since after until, over a year
         */
        public static Range parse(String since, String until, LocalDate today) {
            LocalDate u = until == null || until.isBlank() ? today : date("until", until);
            LocalDate s = since == null || since.isBlank() ? u.minusDays(DEFAULT_DAYS - 1) : date("since", since);
            if (s.isAfter(u)) throw new IllegalArgumentException("since must not be after until");
            if (ChronoUnit.DAYS.between(s, u) >= MAX_DAYS) {
                throw new IllegalArgumentException("a range is at most " + MAX_DAYS + " days; ask for a shorter one");
            }
            return new Range(s, u);
        }

        long days() {
            return ChronoUnit.DAYS.between(since, until) + 1;
        }

        private static LocalDate date(String name, String value) {
            if (value.length() != 10) throw new IllegalArgumentException(name + " must be a date such as 2026-12-01");
            try {
                LocalDate d = LocalDate.parse(value);
                if (d.getYear() < 2000 || d.getYear() > 9999) throw new IllegalArgumentException(name + " must be a date such as 2026-12-01");
                return d;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + " must be a date such as 2026-12-01");
            }
        }
    }

    /**
     * Who looks: a manager ({@code console.roles.managers}) sees everyone's cost, anyone else their own only.
     *
     * @param person the viewer's person key ({@link Directory#personOf})
     */
    public record Viewer(String person, boolean manager) {}

    /** The figures of {@code range} as the API answers them (SPEC §7 names the first fields). */
    public Map<String, Object> report(Range range, Viewer viewer) {
        List<LocalDate> days = range.since().datesUntil(range.until().plusDays(1)).toList();
        List<RedisFuture<Map<String, String>>> reads = new ArrayList<>(days.size());
        for (LocalDate d : days) reads.add(redis.async().hgetall(Rollup.DAY + d));
        Totals t = new Totals();
        for (int i = 0; i < days.size(); i++) t.add(days.get(i).toString(), Redis.await(reads.get(i)));
        return t.json(range, viewer);
    }

    /** The day hashes summed: what {@code rollup.lua} counted, field by field. */
    private final class Totals {
        final List<Map<String, Object>> perDay = new ArrayList<>();
        final List<Map<String, Object>> deploysPerDay = new ArrayList<>();
        final List<Map<String, Object>> costPerDay = new ArrayList<>();
        final Map<String, Buckets.Histogram> stages = new LinkedHashMap<>();
        final Map<String, Buckets.Histogram> waits = new TreeMap<>();
        final Buckets.Histogram restore = new Buckets.Histogram();
        final Map<String, Long> approvals = new TreeMap<>();
        final Map<String, Long> deploys = new TreeMap<>();
        final Map<String, Long> incidents = new TreeMap<>();
        final Map<String, Long> byTypeState = new TreeMap<>();
        final Map<String, BigDecimal> costByPerson = new TreeMap<>();
        final Map<String, Long> budget = new TreeMap<>();
        final Map<String, Long> claims = new TreeMap<>();
        BigDecimal cost = BigDecimal.ZERO;

        Totals() {
            for (String s : STAGES) stages.put(s, new Buckets.Histogram());
        }

        void add(String day, Map<String, String> h) {
            Map<String, Long> counts = new TreeMap<>();
            Map<String, Long> deployed = new TreeMap<>();
            BigDecimal dayCost = BigDecimal.ZERO;
            for (Map.Entry<String, String> e : h.entrySet()) {
                String f = e.getKey();
                String v = e.getValue();
                int bar = f.indexOf('|');
                String kind = bar < 0 ? f : f.substring(0, bar);
                String rest = bar < 0 ? "" : f.substring(bar + 1);
                switch (kind) {
                    case "n" -> counts.merge(rest, Long.parseLong(v), Long::sum);
                    case "d" -> histogram(stages, rest, v);
                    case "w" -> histogram(waits, rest, v);
                    case "r" -> restore.add(Integer.parseInt(rest), Long.parseLong(v));
                    case "a" -> approvals.merge(rest, Long.parseLong(v), Long::sum);
                    case "dep" -> deployed.merge(rest, Long.parseLong(v), Long::sum);
                    case "inc" -> incidents.merge(rest, Long.parseLong(v), Long::sum);
                    case "c" -> {
                        if (rest.isEmpty()) dayCost = dayCost.add(new BigDecimal(v));
                        else costByPerson.merge(personOf(rest), new BigDecimal(v), BigDecimal::add);
                    }
                    case "b" -> budget.merge(rest, Long.parseLong(v), Long::sum);
                    case "cv" -> claims.merge(rest, Long.parseLong(v), Long::sum);
                    default -> { } // a field of a later version: not this one's to show
                }
            }
            counts.forEach((typeState, n) -> {
                if (n == 0) return;
                int bar = typeState.indexOf('|');
                perDay.add(row("day", day, "type", typeState.substring(0, bar), "state", typeState.substring(bar + 1), "count", n));
                byTypeState.merge(typeState, n, Long::sum);
            });
            deployed.forEach((env, n) -> {
                deploysPerDay.add(row("day", day, "environment", env, "count", n));
                deploys.merge(env, n, Long::sum);
            });
            costPerDay.add(row("day", day, "usd", usd(dayCost)));
            cost = cost.add(dayCost);
        }

        private void histogram(Map<String, Buckets.Histogram> into, String nameAndBucket, String count) {
            int bar = nameAndBucket.lastIndexOf('|');
            into.computeIfAbsent(nameAndBucket.substring(0, bar), k -> new Buckets.Histogram())
                    .add(Integer.parseInt(nameAndBucket.substring(bar + 1)), Long.parseLong(count));
        }

        private String personOf(String identity) {
            try {
                return directory.personOf(Identity.parse(identity));
            } catch (IllegalArgumentException e) {
                return identity;
            }
        }

        Map<String, Object> json(Range range, Viewer viewer) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("since", range.since().toString());
            out.put("until", range.until().toString());
            out.put("requests_per_day", perDay);
            Buckets.Histogram allWaits = new Buckets.Histogram();
            waits.values().forEach(allWaits::addAll);
            out.put("approval_wait_ms", allWaits.summary());
            List<Map<String, Object>> byPolicy = new ArrayList<>();
            waits.forEach((policy, h) -> {
                Map<String, Object> m = new LinkedHashMap<>(Map.of("policy", policy));
                m.putAll(h.summary());
                byPolicy.add(m);
            });
            out.put("approval_wait_by_policy", byPolicy);
            out.put("cost_usd_per_day", costPerDay);
            out.put("deploys_per_day", deploysPerDay);
            long runs = claims.getOrDefault("runs", 0L);
            long bad = claims.getOrDefault("bad", 0L);
            out.put("claim_vs_evidence", row("runs", runs, "claimed_pass", claims.getOrDefault("claimed", 0L),
                    "claimed_pass_but_failed", bad, "rate", ratio(bad, runs)));
            Map<String, Object> lead = new LinkedHashMap<>();
            stages.forEach((s, h) -> lead.put(s, h.summary()));
            out.put("lead_time_ms", lead);
            out.put("approvals_by_person", entries(approvals, "person", "count"));
            long deployCount = deploys.values().stream().mapToLong(Long::longValue).sum();
            long incidentCount = incidents.values().stream().mapToLong(Long::longValue).sum();
            List<Map<String, Object>> perEnv = new ArrayList<>();
            java.util.Set<String> envs = new java.util.TreeSet<>(deploys.keySet());
            envs.addAll(incidents.keySet());
            for (String env : envs) {
                long d = deploys.getOrDefault(env, 0L);
                long i = incidents.getOrDefault(env, 0L);
                perEnv.add(row("environment", env, "deploys", d, "per_day", ratio(d, range.days()), "incidents", i,
                        "change_failure_rate", ratio(i, d)));
            }
            out.put("deploy_frequency", perEnv);
            out.put("change_failure", row("deploys", deployCount, "incidents", incidentCount, "rate", ratio(incidentCount, deployCount),
                    "restored", restore.count(), "time_to_restore_ms", restore.summary()));
            List<Map<String, Object>> people = new ArrayList<>();
            costByPerson.forEach((person, usd) -> {
                if (viewer.manager() || person.equals(viewer.person())) people.add(row("person", person, "usd", usd(usd)));
            });
            out.put("cost_usd_by_person", people);
            out.put("cost_usd_by_person_scope", viewer.manager() ? "everyone" : "yours");
            out.put("cost_usd_total", usd(cost));
            long merged = byTypeState.getOrDefault("merge|done", 0L);
            out.put("changes_merged", merged);
            out.put("cost_usd_per_merged_change", merged == 0 ? null : usd(cost.divide(BigDecimal.valueOf(merged), 6, RoundingMode.HALF_UP)));
            out.put("budget_stops", entries(budget, "limit", "count"));
            long closed = 0;
            for (String type : List.of("merge", "deploy")) {
                for (String state : List.of("done", "rejected", "expired", "stale", "failed", "cancelled")) {
                    closed += byTypeState.getOrDefault(type + "|" + state, 0L);
                }
            }
            Map<String, Object> rates = new LinkedHashMap<>();
            rates.put("actions_closed", closed);
            for (String[] r : new String[][]{{"veto", "rejected"}, {"expiry", "expired"}, {"stale", "stale"}}) {
                long n = byTypeState.getOrDefault("merge|" + r[1], 0L) + byTypeState.getOrDefault("deploy|" + r[1], 0L);
                rates.put(r[0], row("count", n, "rate", ratio(n, closed)));
            }
            out.put("outcome_rates", rates);
            return out;
        }
    }

    /** {@code m} as rows {@code {key: k, value: v}}: the answer's shape of a tally (Expected, the tests' brute force, answers in it too). */
    static List<Map<String, Object>> entries(Map<String, Long> m, String key, String value) {
        List<Map<String, Object>> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(row(key, k, value, v)));
        return out;
    }

    /** One row of the answer from its names and values in turn, in that order. */
    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** {@code n / of} to four decimals, {@code null} when there is nothing to divide by. */
    static Double ratio(long n, long of) {
        return of == 0 ? null : Math.round(n * 10000.0 / of) / 10000.0;
    }

    /** Dollars as the answer gives them: to a millionth, half up. */
    static double usd(BigDecimal v) {
        return v.setScale(6, RoundingMode.HALF_UP).doubleValue();
    }
}
