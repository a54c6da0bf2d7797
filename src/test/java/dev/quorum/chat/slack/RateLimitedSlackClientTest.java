package dev.quorum.chat.slack;

import com.slack.api.Slack;
import dev.quorum.chat.slack.FakeSlack.Answer;
import dev.quorum.chat.slack.FakeSlack.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Web API client against Slack's behaviour under load and failure, played by {@link FakeSlack} over real HTTP. */
class RateLimitedSlackClientTest {
    private static final SlackMessage HELLO = new SlackMessage("hello", List.of());

    private FakeSlack slack;
    private Slack sdk;
    private RateLimitedSlackClient client;

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack();
        com.slack.api.SlackConfig config = new com.slack.api.SlackConfig();
        config.setMethodsEndpointUrlPrefix(slack.apiUrl());
        config.setStatsEnabled(false);
        sdk = Slack.getInstance(config);
        client = new RateLimitedSlackClient(sdk.methods("xoxb-test"));
    }

    @AfterEach
    void stop() throws Exception {
        sdk.close();
        slack.close();
    }

    @Test
    void aRateLimitHoldsBackLaterCallsOfThatMethodUntilRetryAfterButNotOtherMethods() throws Exception {
        slack.script("chat.postMessage", Answer.rateLimited(1));
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = threads.submit(() -> client.postMessage("C1", null, HELLO));
            Call limited = slack.await("chat.postMessage", c -> c.status() == 429, Duration.ofSeconds(5));
            Thread.sleep(100);

            Future<String> second = threads.submit(() -> client.postMessage("C1", null, HELLO));
            client.update("C1", "1.2", HELLO);
            long updated = System.nanoTime();

            assertThat(first.get()).isNotNull();
            assertThat(second.get()).isNotNull();
            assertThat(Duration.ofNanos(updated - limited.nanos())).isLessThan(Duration.ofMillis(900));
            List<Call> posts = slack.calls("chat.postMessage");
            assertThat(posts).hasSize(3);
            assertThat(posts.subList(1, 3)).allSatisfy(c -> assertThat(Duration.ofNanos(c.nanos() - limited.nanos())).isGreaterThanOrEqualTo(Duration.ofMillis(950)));
        }
    }

    @Test
    void aBurstOfCallsNeverHasMoreThanThirtyTwoInFlight() throws Exception {
        slack.slow("chat.postMessage", Duration.ofMillis(100));
        List<Future<String>> posts = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) posts.add(threads.submit(() -> client.postMessage("C1", null, HELLO)));
            for (Future<String> p : posts) assertThat(p.get()).startsWith("1700000000.");
        }
        assertThat(slack.mostOpenAtOnce()).isBetween(2, RateLimitedSlackClient.MAX_IN_FLIGHT);
        assertThat(slack.calls("chat.postMessage")).hasSize(200);
    }

    @Test
    void aServerErrorIsRetriedForAnEditButNotForAPostThatMayHaveBeenMade() {
        slack.script("chat.update", Answer.status(503));
        slack.script("chat.postMessage", Answer.status(503));

        client.update("C1", "1.2", HELLO);

        assertThat(slack.calls("chat.update")).extracting(Call::status).containsExactly(503, 200);
        assertThatThrownBy(() -> client.postMessage("C1", null, HELLO))
                .isInstanceOf(SlackCallException.class).hasMessage("chat.postMessage failed: HTTP 503");
        assertThat(slack.calls("chat.postMessage")).hasSize(1);
    }

    @Test
    void slacksErrorCodeNamesTheMethodAndAReactionAlreadyThereCountsAsAdded() {
        slack.script("chat.postEphemeral", Answer.error("user_not_in_channel"));
        slack.script("reactions.add", Answer.error("already_reacted"));

        assertThatThrownBy(() -> client.postEphemeral("C1", "U1", null, HELLO))
                .isInstanceOf(SlackCallException.class).hasMessage("chat.postEphemeral failed: user_not_in_channel");
        client.addReaction("C1", "1.2", "eyes");
        assertThat(slack.calls("reactions.add")).hasSize(1);
    }
}
