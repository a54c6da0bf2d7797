package dev.quorum.request;

import dev.quorum.conversation.Identity;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The history's indexes on an older store (the one-time backfill) and the bound on what one page may read. */
class HistoryIndexTest {
    private Redis redis;
    private RequestStore store;

    @BeforeEach
    void setUp() {
        redis = TestRedis.fresh();
        store = new RequestStore(redis);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void anOlderStoreGetsItsIndexesOnceInBatchesAndAnswersLikeANewOne() {
        int count = IndexBackfill.BATCH * 2 + 37; // more than one batch, and a last one not full
        HistorySeed.pipelined(redis, count);
        Map<String, List<String>> before = answers();
        // The store as it was before these indexes: no marker, none of the new keys
        List<String> newer = new ArrayList<>(List.of(IndexBackfill.DONE, RequestStore.BY_CREATED, RequestStore.BY_UPDATED));
        newer.addAll(redis.sync().keys("{q}:idx:approver:*"));
        newer.addAll(redis.sync().keys("{q}:idx:repo:*"));
        newer.addAll(redis.sync().keys("{q}:idx:env:*"));
        assertThat(redis.sync().del(newer.toArray(String[]::new))).isGreaterThan(5);
        assertThat(store.list(query("approver", "console:bob")).requests()).isEmpty();

        Map<Long, List<Identity>> approvers = new java.util.HashMap<>();
        for (long n = 1; n <= count; n++) approvers.put(n, HistorySeed.row(n).approvers());
        assertThat(store.backfillIndexes(id -> approvers.get(RequestIds.number(id)))).isEqualTo(count);
        assertThat(answers()).isEqualTo(before);
        assertThat(before.values()).allSatisfy(ids -> assertThat(ids).isNotEmpty());
        // Done once: the marker stops a second pass
        assertThat(store.backfillIndexes(id -> { throw new AssertionError("backfilled twice"); })).isZero();
    }

    @Test
    void aFilterThatMatchesAlmostNothingReadsABoundedWindowPerPageAndGoesOnWithNext() {
        int count = HistorySearch.LOADED * 3 + 500;
        HistorySeed.pipelined(redis, count);
        RequestQuery rare = new RequestQuery(null, null, null, null, null, null, null, null, "task 7 ", null, null, 10);
        List<String> found = new ArrayList<>();
        int pages = 0;
        RequestQuery.Cursor at = null;
        do {
            RequestPage page = store.list(rare.from(at, 10));
            page.requests().forEach(r -> found.add(r.id()));
            at = page.next();
            pages++;
        } while (at != null && pages < 100);
        assertThat(found).containsExactly("R7"); // "task 7 in ..." only: R70's text is "task 70 ..."
        assertThat(pages).as("pages of at most " + HistorySearch.LOADED + " rows read each").isGreaterThanOrEqualTo(3);
    }

    /** The newer filters' answers, read through every page. */
    private Map<String, List<String>> answers() {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String[] f : new String[][]{{"approver", "console:bob"}, {"repo", "acme/web"}, {"environment", "staging"},
                {"since", "2026-11-05T00:00:00Z"}, {"sort", "updated"}}) {
            List<String> ids = new ArrayList<>();
            RequestQuery q = query(f[0], f[1]);
            RequestQuery.Cursor at = null;
            do {
                RequestPage page = store.list(q.from(at, RequestQuery.MAX_LIMIT));
                page.requests().forEach(r -> ids.add(r.id()));
                at = page.next();
            } while (at != null);
            out.put(f[0], ids);
        }
        return out;
    }

    private static RequestQuery query(String filter, String value) {
        return new RequestQuery(null, null, null, filter.equals("approver") ? java.util.Set.of(Identity.parse(value)) : null,
                filter.equals("repo") ? value : null, filter.equals("environment") ? value : null,
                filter.equals("since") ? java.time.Instant.parse(value) : null, null, null,
                filter.equals("sort") ? RequestQuery.Sort.UPDATED_DESC : null, null, 50);
    }
}
