package dev.quorum.insights;

import dev.quorum.command.Command;
import dev.quorum.command.Times;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Reply;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key figures of {@link Insights#report} as one chat reply: plain text and labelled fields, which every adapter
 * renders (Slack, Discord, GitHub, console). A channel is no place for one person's cost, so the report is read as a
 * non-manager who matches no person: the per-person figures stay on the Insights page. Thread-safe; blocking.
 */
public final class Digest {
    /** The viewer of a digest: no manager, and nobody's own cost either (a channel has no "own"). */
    private static final Insights.Viewer CHANNEL = new Insights.Viewer(null, false);
    private final Insights insights;
    private final Links links;

    public Digest(Insights insights, Links links) {
        this.insights = insights;
        this.links = links;
    }

    /** The digest of the {@code period.days()} UTC days that end on {@code until}, both included. */
    public Reply of(Command.Digest.Period period, LocalDate until) {
        LocalDate since = until.minusDays(period.days() - 1);
        Map<String, Object> r = insights.report(new Insights.Range(since, until), CHANNEL);
        List<Reply.Field> f = new ArrayList<>();
        f.add(new Reply.Field("Requests", requests(list(r, "requests_per_day"))));
        f.add(new Reply.Field("Changes merged", String.valueOf(r.get("changes_merged"))));
        f.add(new Reply.Field("Deploys", counted(list(r, "deploy_frequency"), "environment", "deploys")));
        Map<String, Object> failure = map(r, "change_failure");
        f.add(new Reply.Field("Change failure rate", count(failure, "deploys") == 0 ? "no deploys"
                : count(failure, "incidents") + " of " + count(failure, "deploys") + " deploys failed (" + percent(failure.get("rate")) + ")"));
        f.add(new Reply.Field("Time to restore", percentiles(map(failure, "time_to_restore_ms"), "restore")));
        f.add(new Reply.Field("Approval wait", percentiles(map(r, "approval_wait_ms"), "wait")));
        f.add(new Reply.Field("Lead time (asked → merged)", percentiles(map(map(r, "lead_time_ms"), "merged"), "merge")));
        Object perMerged = r.get("cost_usd_per_merged_change");
        f.add(new Reply.Field("Agent cost", usd(r.get("cost_usd_total")) + " in total"
                + (perMerged == null ? "" : ", " + usd(perMerged) + " per merged change")
                + "; cost per person: on the Insights page for managers"));
        f.add(new Reply.Field("Budget stops", counted(list(r, "budget_stops"), "limit", "count")));
        f.add(new Reply.Field("Veto, expiry, stale", rates(map(r, "outcome_rates"))));
        Map<String, Object> claims = map(r, "claim_vs_evidence");
        f.add(new Reply.Field("Claim vs evidence", counted(count(claims, "runs"), "agent run") + ", " + count(claims, "claimed_pass_but_failed")
                + " claimed their tests pass while Quorum's run failed" + (claims.get("rate") == null ? "" : " (" + percent(claims.get("rate")) + ")")));
        return Reply.text("Digest of the last " + period.days() + " days (" + since + " to " + until + ", UTC)")
                .withFields(f)
                .withLink(new Reply.Link("See the charts on the Insights page", links.base() + "/#/insights"));
    }

    /** {@code 57: 30 done, 12 failed, …}: every request of the range by its state, the largest first. */
    private static String requests(List<Map<String, Object>> perDay) {
        Map<String, Long> byState = new TreeMap<>();
        for (Map<String, Object> row : perDay) byState.merge((String) row.get("state"), ((Number) row.get("count")).longValue(), Long::sum);
        long total = byState.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) return "none";
        List<String> parts = byState.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getValue() + " " + e.getKey().replace('_', ' ')).toList(); // no _ for a markdown to read as italics
        return total + ": " + String.join(", ", parts);
    }

    /** {@code 10: production 4, staging 6}: the rows' counts summed, then each row's. */
    private static String counted(List<Map<String, Object>> rows, String name, String count) {
        long total = 0;
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            long n = ((Number) row.get(count)).longValue();
            total += n;
            parts.add(row.get(name) + " " + n);
        }
        return total == 0 ? "none" : total + ": " + String.join(", ", parts);
    }

    private static String rates(Map<String, Object> rates) {
        long closed = count(rates, "actions_closed");
        if (closed == 0) return "no merge or deploy closed";
        List<String> parts = new ArrayList<>();
        for (String r : List.of("veto", "expiry", "stale")) parts.add(r + " " + percent(map(rates, r).get("rate")));
        return String.join(", ", parts) + " of " + closed + " closed merges and deploys";
    }

    /** {@code p50 3 m, p90 1 h 5 m (40 waits)}: bucket lower bounds, as the Insights page shows them. */
    private static String percentiles(Map<String, Object> summary, String what) {
        long n = count(summary, "count");
        if (n == 0) return "no " + what + "s";
        return "p50 " + span(summary.get("p50")) + ", p90 " + span(summary.get("p90")) + " (" + counted(n, what) + ")";
    }

    /** {@code 1 restore}, {@code 2 restores}. */
    private static String counted(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String span(Object ms) {
        return Times.span(Duration.ofMillis(((Number) ms).longValue()));
    }

    private static String percent(Object rate) {
        return String.format(Locale.ROOT, "%.1f %%", ((Number) rate).doubleValue() * 100);
    }

    private static String usd(Object v) {
        return String.format(Locale.ROOT, "$%.2f", ((Number) v).doubleValue());
    }

    private static long count(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }
}
