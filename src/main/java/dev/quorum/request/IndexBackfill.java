package dev.quorum.request;

import dev.quorum.conversation.Identity;
import dev.quorum.store.Redis;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ZAddArgs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Builds the history's newer indexes (by creation and update time, repository, environment, approver) for the
 * requests of a store from before them, once: a marker key says it is done. It walks the requests by number in
 * batches of {@link #BATCH}, each a pipelined round of small reads and then of ZADDs, so Redis is never busy for
 * more than a batch at a time and requests keep being served meanwhile. Writes are idempotent (ZADD of the same
 * member and score; the update time only ever raised, {@code GT}), so several instances doing it at once, or one
 * restarted halfway, agree; new requests get their entries from the scripts themselves.
 */
final class IndexBackfill {
    private static final Logger LOG = LoggerFactory.getLogger(IndexBackfill.class);
    static final String DONE = "{q}:idx:version";
    static final String VERSION = "2";
    static final int BATCH = 500;
    private final Redis redis;
    private final Function<String, List<Identity>> approvers;

    IndexBackfill(Redis redis, Function<String, List<Identity>> approvers) {
        this.redis = redis;
        this.approvers = approvers;
    }

    /** @return how many requests it indexed, 0 when the marker said it was done */
    long run() {
        if (VERSION.equals(redis.sync().get(DONE))) return 0;
        long done = 0;
        double from = Double.NEGATIVE_INFINITY;
        while (true) {
            List<String> ids = redis.sync().zrangebyscore(RequestStore.allIndex(), Range.create(from, Double.POSITIVE_INFINITY),
                    Limit.create(0, BATCH));
            if (ids.isEmpty()) break;
            index(ids);
            done += ids.size();
            if (ids.size() < BATCH) break;
            from = RequestIds.number(ids.getLast()) + 1;
        }
        redis.sync().set(DONE, VERSION);
        if (done > 0) LOG.info("Indexed {} requests of an older store for the history's filters", done);
        return done;
    }

    private void index(List<String> ids) {
        List<RedisFuture<List<KeyValue<String, String>>>> rows = new ArrayList<>();
        List<RedisFuture<List<KeyValue<String, String>>>> inputs = new ArrayList<>();
        String[] inputNames = RequestStore.INDEXED_INPUTS.keySet().toArray(String[]::new);
        for (String id : ids) {
            rows.add(redis.async().hmget(RequestStore.key(id), "created_at", "updated_at", "type"));
            inputs.add(redis.async().hmget(RequestStore.key(id) + ":inputs", inputNames));
        }
        List<RedisFuture<Long>> writes = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            double number = RequestIds.number(id);
            List<KeyValue<String, String>> row = Redis.await(rows.get(i));
            if (row.get(0).hasValue()) writes.add(redis.async().zadd(RequestStore.BY_CREATED, Double.parseDouble(row.get(0).getValue()), id));
            if (row.get(1).hasValue()) {
                writes.add(redis.async().zadd(RequestStore.BY_UPDATED, ZAddArgs.Builder.gt(), Double.parseDouble(row.get(1).getValue()), id));
            }
            for (KeyValue<String, String> in : Redis.await(inputs.get(i))) {
                if (in.hasValue() && !in.getValue().isBlank()) {
                    writes.add(redis.async().zadd(RequestStore.INDEXED_INPUTS.get(in.getKey()) + in.getValue(), number, id));
                }
            }
            boolean action = row.get(2).hasValue() && RequestType.fromWire(row.get(2).getValue()).isAction();
            if (action) {
                for (Identity who : approvers.apply(id)) writes.add(redis.async().zadd(RequestStore.approverIndex(who), number, id));
            }
        }
        writes.forEach(Redis::await);
    }
}
