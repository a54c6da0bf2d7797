package dev.quorum.attack;

import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.PostedMessage;
import dev.quorum.request.Request;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestRedis;
import dev.quorum.web.ChatLinks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack's answer to {@code chat.getPermalink} is untrusted input (a compromised or impersonated Slack, a proxy, a bug):
 * the request page uses it only when it is https on {@code slack.com} or a host under it and points at the very
 * message asked about in the same channel; anything else (another host, another scheme, another channel or message,
 * user info, a port, a fragment, a stray query, something very long) gives the link Quorum builds itself, and a
 * hostile answer is not asked again on every view.
 */
class SlackPermalinkAttackTest {
    private static final String CHANNEL = "C024BE91L";
    private static final String THREAD = "1732617600.000100";
    private static final String MESSAGE = "1732617601.000200";
    private static final String BUILT = "https://slack.com/archives/C024BE91L/p1732617601000200?thread_ts=1732617600.000100&cid=C024BE91L";
    private static final String OWN = "https://acme.slack.com/archives/C024BE91L/p1732617601000200";

    private static final List<String> HOSTILE = List.of(
            "https://evil.example/archives/C024BE91L/p1732617601000200",
            "https://slack.com.evil.example/archives/C024BE91L/p1732617601000200",
            "https://evilslack.com/archives/C024BE91L/p1732617601000200",
            "https://acme.slack.com@evil.example/archives/C024BE91L/p1732617601000200",
            "https://evil.example@acme.slack.com/archives/C024BE91L/p1732617601000200",
            "https://acme.slack.com:8443/archives/C024BE91L/p1732617601000200",
            "http://acme.slack.com/archives/C024BE91L/p1732617601000200",
            "javascript:alert(1)//acme.slack.com/archives/C024BE91L/p1732617601000200",
            "JAVASCRIPT:alert(document.cookie)",
            "data:text/html,<script>alert(1)</script>",
            "//acme.slack.com/archives/C024BE91L/p1732617601000200",
            "/archives/C024BE91L/p1732617601000200",
            "https://acme.slack.com/archives/C0OTHER99/p1732617601000200",
            "https://acme.slack.com/archives/C024BE91L/p1732617699000999",
            "https://acme.slack.com/archives/C024BE91L/p1732617601000200/../../../evil",
            "https://acme.slack.com/archives/C024BE91L/../C0OTHER99/p1732617601000200",
            "https://acme.slack.com/archives/C024BE91L/p1732617601000200#@evil.example",
            "https://acme.slack.com/archives/C024BE91L/p1732617601000200?next=https://evil.example",
            "https://acme.slack.com/archives/C024BE91L/p1732617601000200?thread_ts=1732617600.000100&cid=C0OTHER99",
            "https://acme.slack.com/archives/C024BE91L/p1732617601000200?thread_ts=1732617600.000100&cid=C024BE91L&x=1",
            "https://ACME.SLACK.COM/archives/C024BE91L/p1732617601000200",
            "https://acme.slack.com/archives/C024BE91L/p1732617601000200\"><script>alert(1)</script>",
            "https://acme.slack.com/archives/C024BE91L/p1732617601000200\nLocation: https://evil.example",
            "https://acme.slack.com/archives/C024BE91L/p1732617601000200 https://evil.example",
            "https://acme.slack.com/archives/C024BE91L/p1732617601000200%2F..%2Fevil",
            "https://" + "a".repeat(600) + ".slack.com/archives/C024BE91L/p1732617601000200",
            "https://acme.slack.com/archives/C024BE91L/p1732617601000200?thread_ts=1732617600.000100&cid=C024BE91L" + "0".repeat(10_000),
            "");

    @Test
    void aPermalinkToAnotherHostSchemeChannelOrMessageOrAVeryLongOneIsNotUsed() {
        try (Redis redis = TestRedis.fresh()) {
            for (String hostile : HOSTILE) {
                redis.sync().flushall();
                AtomicInteger asked = new AtomicInteger();
                ChatLinks links = answering(hostile, asked, redis);

                assertThat(slackHref(links)).as("Slack answered %s", hostile).isEqualTo(BUILT);
                assertThat(slackHref(links)).isEqualTo(BUILT);
                assertThat(asked).as("a hostile answer is not asked for again on the next view: %s", hostile).hasValue(1);
            }
        }
    }

    @Test
    void slacksOwnPermalinkOnItsWorkspaceHostIsUsedAndItsThreadFormToo() {
        try (Redis redis = TestRedis.fresh()) {
            redis.sync().flushall();
            assertThat(slackHref(answering(OWN, new AtomicInteger(), redis))).isEqualTo(OWN);
            redis.sync().flushall();
            String thread = OWN + "?thread_ts=" + THREAD + "&cid=" + CHANNEL;
            assertThat(slackHref(answering(thread, new AtomicInteger(), redis))).isEqualTo(thread);
            redis.sync().flushall();
            String bare = "https://slack.com/archives/C024BE91L/p1732617601000200";
            assertThat(slackHref(answering(bare, new AtomicInteger(), redis))).isEqualTo(bare);
        }
    }

    @Test
    void aHostileCachedValueCannotComeFromTheRequestsIds() {
        // The cache key is made of the channel and ts only after they look like Slack's: a request whose ids are not
        // Slack's asks nothing at all.
        try (Redis redis = TestRedis.fresh()) {
            redis.sync().flushall();
            AtomicInteger asked = new AtomicInteger();
            ChatLinks links = answering(OWN, asked, redis);
            Conversation hostile = new Conversation("slack", "C024BE91L:*", "1732617600.000100\r\nFLUSHALL");
            assertThat(links.of(request(hostile, new PostedMessage(hostile, "1732617601.000200:x"))))
                    .extracting(l -> l.get("href")).containsExactly("#/requests/R7");
            assertThat(asked).hasValue(0);
            assertThat(redis.sync().keys("*chatlink*")).isEmpty();
        }
    }

    /** Chat links whose Slack always answers {@code permalink}, counting how often it is asked. */
    private static ChatLinks answering(String permalink, AtomicInteger asked, Redis redis) {
        return new ChatLinks(List.of(), (where, ts) -> {
            asked.incrementAndGet();
            return Optional.of(permalink);
        }, redis, Duration.ofSeconds(5));
    }

    private static String slackHref(ChatLinks links) {
        Conversation where = new Conversation("slack", CHANNEL, THREAD);
        List<Map<String, Object>> all = links.of(request(where, new PostedMessage(where, MESSAGE)));
        assertThat(all).extracting(l -> l.get("kind")).containsExactly("console", "slack");
        return (String) all.get(1).get("href");
    }

    private static Request request(Conversation origin, PostedMessage progress) {
        return TimelineAttackTest.request(origin, progress);
    }
}
