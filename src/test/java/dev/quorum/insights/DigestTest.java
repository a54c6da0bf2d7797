package dev.quorum.insights;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.command.Command;
import dev.quorum.conversation.Links;
import dev.quorum.conversation.Reply;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** The digest's reply over a seeded history, word for word, and over a history with nothing in it. */
class DigestTest {
    private static final LocalDate LAST_DAY = SeededHistory.FIRST_DAY.plusDays(6);
    private Redis redis;
    private Digest digest;

    @BeforeEach
    void seed() {
        redis = TestRedis.fresh();
        digest = new Digest(new Insights(redis, SeededHistory.directory()), new Links("https://quorum.example/"));
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void theWeekOfASeededHistory() throws Exception {
        SeededHistory history = SeededHistory.seed(redis, 200, 14);
        // the figures the digest words are the brute-force ones (as InsightsApiTest checks for the API)
        Insights.Range week = new Insights.Range(SeededHistory.FIRST_DAY, LAST_DAY);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(json.writeValueAsString(new Insights(redis, SeededHistory.directory()).report(week, new Insights.Viewer(null, false)))))
                .isEqualTo(json.readTree(json.writeValueAsString(Expected.report(history, week, new Insights.Viewer(null, false), SeededHistory.directory()))));
        Reply r = digest.of(Command.Digest.Period.WEEK, LAST_DAY);
        assertThat(r.text()).isEqualTo("Digest of the last 7 days (2026-11-01 to 2026-11-07, UTC)");
        assertThat(r.fields()).containsExactly(
                new Reply.Field("Requests", "140: 37 succeeded, 28 failed, 14 cancelled, 14 done, 9 expired, 9 queued, 9 running, 8 executing, 6 rejected, 5 awaiting approval, 1 stale"),
                new Reply.Field("Changes merged", "4"),
                new Reply.Field("Deploys", "10: production 4, staging 6"),
                new Reply.Field("Change failure rate", "2 of 10 deploys failed (20.0 %)"),
                new Reply.Field("Time to restore", "p50 2 h 37 m, p90 27 h 57 m (2 restores)"),
                new Reply.Field("Approval wait", "p50 56 m 47 s, p90 1 h 36 m (25 waits)"),
                new Reply.Field("Lead time (asked → merged)", "p50 30 m 35 s, p90 43 m 41 s (4 merges)"),
                new Reply.Field("Agent cost", "$10.60 in total, $2.65 per merged change; cost per person: on the Insights page for managers"),
                new Reply.Field("Budget stops", "7: cost 3, tokens 4"),
                new Reply.Field("Veto, expiry, stale", "veto 12.8 %, expiry 19.2 %, stale 2.1 % of 47 closed merges and deploys"),
                new Reply.Field("Claim vs evidence", "18 agent runs, 3 claimed their tests pass while Quorum's run failed (16.7 %)"));
        assertThat(r.link()).isEqualTo(new Reply.Link("See the charts on the Insights page", "https://quorum.example/#/insights"));
        assertThat(r.tone()).isEqualTo(Reply.Tone.INFO);
        assertThat(r.fields()).extracting(Reply.Field::value).noneMatch(v -> v.contains("bob") || v.contains("alice") || v.contains("console:"));
    }

    @Test
    void aMonthWithNothingInItSaysSoInsteadOfDividingByZero() {
        Reply r = digest.of(Command.Digest.Period.MONTH, LocalDate.of(2026, 10, 31));
        assertThat(r.text()).isEqualTo("Digest of the last 30 days (2026-10-02 to 2026-10-31, UTC)");
        assertThat(r.fields()).containsExactly(
                new Reply.Field("Requests", "none"),
                new Reply.Field("Changes merged", "0"),
                new Reply.Field("Deploys", "none"),
                new Reply.Field("Change failure rate", "no deploys"),
                new Reply.Field("Time to restore", "no restores"),
                new Reply.Field("Approval wait", "no waits"),
                new Reply.Field("Lead time (asked → merged)", "no merges"),
                new Reply.Field("Agent cost", "$0.00 in total; cost per person: on the Insights page for managers"),
                new Reply.Field("Budget stops", "none"),
                new Reply.Field("Veto, expiry, stale", "no merge or deploy closed"),
                new Reply.Field("Claim vs evidence", "0 agent runs, 0 claimed their tests pass while Quorum's run failed"));
    }
}
