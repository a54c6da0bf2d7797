package dev.quorum.agent.loop;

import dev.quorum.agent.Budget;
import dev.quorum.agent.BudgetKind;
import dev.quorum.agent.RunOutcome;
import dev.quorum.agent.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/** Counts what one run has used against its {@link Budget}. Confined to the run's thread. */
final class BudgetMeter {

    private final Budget budget;
    private final long startedNanos;
    private int calls;
    private long inputTokens;
    private long outputTokens;
    private BigDecimal cost = BigDecimal.ZERO;

    BudgetMeter(Budget budget) {
        this.budget = budget;
        this.startedNanos = System.nanoTime();
    }

    void recordCall(long in, long out, BigDecimal callCost) {
        calls++;
        inputTokens += in;
        outputTokens += out;
        cost = cost.add(callCost);
    }

    boolean timeIsUp() {
        return elapsed().compareTo(budget.timeout()) >= 0;
    }

    /** The first limit reached, checked before each model call. */
    Optional<RunOutcome.BudgetExhausted> exhausted() {
        if (timeIsUp()) {
            return Optional.of(new RunOutcome.BudgetExhausted(BudgetKind.TIME, seconds(budget.timeout())));
        }
        if (calls >= budget.maxModelCalls()) {
            return Optional.of(new RunOutcome.BudgetExhausted(BudgetKind.MODEL_CALLS, budget.maxModelCalls() + " calls"));
        }
        if (inputTokens + outputTokens >= budget.maxTokens()) {
            return Optional.of(new RunOutcome.BudgetExhausted(BudgetKind.TOKENS, budget.maxTokens() + " tokens"));
        }
        if (cost.compareTo(budget.maxCost()) >= 0) {
            return Optional.of(new RunOutcome.BudgetExhausted(BudgetKind.COST, "$" + budget.maxCost().toPlainString()));
        }
        return Optional.empty();
    }

    RunOutcome.BudgetExhausted timeExhausted() {
        return new RunOutcome.BudgetExhausted(BudgetKind.TIME, seconds(budget.timeout()));
    }

    Usage usage() {
        return new Usage(calls, inputTokens, outputTokens, cost, elapsed());
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
