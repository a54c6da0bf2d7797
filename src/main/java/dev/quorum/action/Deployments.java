package dev.quorum.action;

import dev.quorum.approval.SubjectCheck;
import dev.quorum.store.Redis;
import io.lettuce.core.KeyValue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each environment runs, as Quorum's last successful deploy there recorded it: the commit
 * and the request that deployed it. Read when a deploy's card is posted, at every vote and under
 * the execution lock, so that an older approved deploy never overwrites a newer one.
 * Thread-safe; blocking.
 */
final class Deployments implements SubjectCheck.Deployed {
    private static final String DEPLOYED = "{q}:deployed:";
    private final Redis redis;

    Deployments(Redis redis) {
        this.redis = redis;
    }

    /** The commit last deployed to an environment: a plain string, so what older versions wrote still reads. */
    static String deployedKey(String environment) {
        return DEPLOYED + environment;
    }

    private static String byKey(String environment) {
        return DEPLOYED + environment + ":request";
    }

    @Override
    public Optional<SubjectCheck.Deployment> now(String environment) {
        List<KeyValue<String, String>> values = redis.sync().mget(deployedKey(environment), byKey(environment));
        String sha = values.get(0).getValueOrElse(null);
        return sha == null ? Optional.empty() : Optional.of(new SubjectCheck.Deployment(sha, values.get(1).getValueOrElse(null)));
    }

    /** Called under the environment's lock, once the deploy succeeded. */
    void record(String environment, String sha, String requestId) {
        redis.sync().mset(Map.of(deployedKey(environment), sha, byKey(environment), requestId));
    }
}
