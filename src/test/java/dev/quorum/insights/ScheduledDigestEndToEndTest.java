package dev.quorum.insights;

import dev.quorum.store.Redis;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.TestRedis;
import io.lettuce.core.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A running Quorum with {@code digest.schedule} due this minute posts the digest in the configured channel by itself. */
class ScheduledDigestEndToEndTest {
    @TempDir
    Path data;

    @Test
    void aDueDigestIsPostedInTheConfiguredChannel() throws Exception {
        TestRedis.flush();
        String now = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).toString();
        String yaml = QuorumHarness.bundledConfigText() + "\ndigest: {schedule: \"daily " + now + "\", channel: \"console:general\"}\n";
        try (QuorumHarness q = QuorumHarness.start(data, yaml, Map.of(), Clock.systemUTC()); Redis redis = Redis.connect(TestRedis.uri())) {
            List<String> digests = List.of();
            for (long until = System.nanoTime() + 30_000_000_000L; digests.isEmpty() && System.nanoTime() < until; Thread.sleep(100)) {
                digests = redis.sync().xrange("{q}:console:log", Range.create("-", "+")).stream()
                        .map(m -> m.getBody().getOrDefault("data", "")).filter(d -> d.contains("Digest of the last 7 days")).toList();
            }
            assertThat(digests).singleElement().asString()
                    .contains("\"channel\":\"general\"")
                    .contains("cost per person: on the Insights page for managers")
                    .contains(q.quorum().url() + "/#/insights");
        }
    }
}
