package dev.quorum.chat.discord;

import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Button records in a real Redis: what a click means, for any instance, for 30 days. */
class ButtonRecordsTest {
    private Redis redis;
    private ButtonRecords buttons;

    @BeforeEach
    void start() {
        redis = TestRedis.fresh();
        buttons = new ButtonRecords(redis);
    }

    @AfterEach
    void stop() {
        redis.close();
    }

    @Test
    void aSavedButtonIsFoundByItsCustomIdFromAnotherInstance() {
        String id = buttons.save("approve R7", "R7");

        assertThat(id).matches("q:[A-Za-z0-9]{16}");
        assertThat(new ButtonRecords(redis).find(id)).contains(new ButtonRecords.Button("approve R7", "R7", ""));
        long ttl = redis.sync().ttl("{q}:discord:button:" + id);
        assertThat(ttl).isBetween(ButtonRecords.TTL.toSeconds() - 5, ButtonRecords.TTL.toSeconds());
    }

    @Test
    void aBoundButtonKnowsItsCardAndRefusesAnotherMessage() {
        String id = buttons.save("reject R7", "R7");
        buttons.bind(List.of(id), "1200000000000000005");

        ButtonRecords.Button b = buttons.find(id).orElseThrow();
        assertThat(b.onMessage("1200000000000000005")).isTrue();
        assertThat(b.onMessage("1200000000000000006")).isFalse();
    }

    @Test
    void idsAreRandomEnoughNeverToRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 500; i++) ids.add(buttons.save("help", null));
        assertThat(ids).hasSize(500);
    }

    @Test
    void anIdNotShapedLikeOursIsUnknownWithoutAKeyBeingRead() {
        redis.sync().hset("{q}:discord:button:q:*", "command", "deploy prod");
        redis.sync().hset("{q}:discord:button:other", "command", "deploy prod");

        assertThat(buttons.find("q:*")).isEmpty();
        assertThat(buttons.find("other")).isEmpty();
        assertThat(buttons.find("q:AAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(buttons.find(null)).isEmpty();
    }
}
