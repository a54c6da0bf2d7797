package dev.quorum.agent.testing;

import dev.quorum.testing.Suites;
import java.nio.file.Path;
import java.util.Map;

/** Quorum configurations for end-to-end agent tests: one repo tested by a {@link Suites} script, a fake model. */
public final class AgentConfigs {
    /** USD per million tokens of the fake model: a call of 100 + 20 tokens costs $0.0042. */
    public static final String PRICES = "{fake-gpt: {input: 30, output: 60}}";

    private AgentConfigs() {}

    /**
     * @param repo  the repo {@code app}, with a {@code run-tests.sh}
     * @param extra more top-level YAML (sections not set here)
     */
    public static String yaml(Path repo, String extra) {
        return """
                console: {demo: true, users: {alice: {}, bob: {}, dave: {}}}
                groups: {engineers: [console:alice, console:bob, console:dave], oncall: [console:dave]}
                repos:
                  app:
                    path: %s
                    test_command: %s
                    reports: ["%s"]
                    test_timeout: 20s
                model: {max_retries: 2, prices: %s}
                """.formatted(repo.toAbsolutePath(), Suites.COMMAND, Suites.REPORTS, PRICES) + extra;
    }

    /** The environment that turns the OpenAI-compatible provider on, pointed at {@code model}. */
    public static Map<String, String> openAi(FakeOpenAiServer model) {
        return Map.of("OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", model.baseUrl(), "QUORUM_MODEL",
                FakeOpenAiServer.MODEL);
    }

    /** The environment that turns the Anthropic provider on, pointed at {@code model}. */
    public static Map<String, String> anthropic(FakeAnthropicServer model) {
        return Map.of("ANTHROPIC_API_KEY", "test-key", "ANTHROPIC_BASE_URL", model.baseUrl(), "QUORUM_MODEL",
                FakeAnthropicServer.MODEL);
    }
}
