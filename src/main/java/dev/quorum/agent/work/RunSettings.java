package dev.quorum.agent.work;

import dev.quorum.agent.Budget;
import dev.quorum.config.Durations;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The settings an agent request was opened with, stored among its inputs so that the worker (on any instance) and a
 * later {@code rerun} use exactly these, not whatever the configuration says by then.
 *
 * @param model  the model, or empty when none was configured (research then answers from retrieval alone)
 * @param budget the request's limits
 */
public record RunSettings(Optional<ModelChoice> model, Budget budget) {

    private static final String PROVIDER = "model_provider";
    private static final String NAME = "model_name";
    private static final String BASE_URL = "model_base_url";
    private static final String TEMPERATURE = "model_temperature";
    private static final String CALLS = "budget_max_model_calls";
    private static final String TOKENS = "budget_max_tokens";
    private static final String TIMEOUT = "budget_timeout";
    private static final String COST = "budget_max_cost";

    /** The fields for {@link dev.quorum.request.RequestStore#setInputs}. */
    public Map<String, String> toInputs() {
        Map<String, String> in = new LinkedHashMap<>();
        model.ifPresent(m -> {
            in.put(PROVIDER, m.provider());
            in.put(NAME, m.name());
            in.put(BASE_URL, m.baseUrl());
            in.put(TEMPERATURE, m.temperature());
        });
        in.put(CALLS, String.valueOf(budget.maxModelCalls()));
        in.put(TOKENS, String.valueOf(budget.maxTokens()));
        in.put(TIMEOUT, Durations.format(budget.timeout()));
        in.put(COST, budget.maxCost().toPlainString());
        return in;
    }

    /** @throws IllegalArgumentException when the inputs lack a budget (a request not opened by an agent handler) */
    public static RunSettings fromInputs(Map<String, String> in) {
        if (!in.containsKey(COST)) {
            throw new IllegalArgumentException("the request's inputs have no agent budget");
        }
        Optional<ModelChoice> model = in.containsKey(PROVIDER)
                ? Optional.of(new ModelChoice(in.get(PROVIDER), in.get(NAME), in.get(BASE_URL), in.get(TEMPERATURE)))
                : Optional.empty();
        Budget budget = new Budget(Integer.parseInt(in.get(CALLS)), Long.parseLong(in.get(TOKENS)),
                Durations.parse(in.get(TIMEOUT)), new BigDecimal(in.get(COST)));
        return new RunSettings(model, budget);
    }

    /** "$1.00, 30 model calls, 400000 tokens, 20m", for replies and {@code status}. */
    public String describeBudget() {
        return "$" + budget.maxCost().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString() + ", "
                + budget.maxModelCalls() + " model calls, " + budget.maxTokens() + " tokens, "
                + Durations.format(budget.timeout());
    }
}
