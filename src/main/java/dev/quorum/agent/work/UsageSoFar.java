package dev.quorum.agent.work;

import dev.quorum.agent.Budget;
import dev.quorum.agent.BudgetKind;
import dev.quorum.agent.RunOutcome;
import java.math.BigDecimal;

/**
 * What a request's runs consumed so far, over every attempt (a run resumed after its worker died continues the same
 * budget).
 *
 * @param attempts attempts started, from 1
 */
public record UsageSoFar(int modelCalls, long tokensIn, long tokensOut, BigDecimal costUsd, int attempts) {

    /**
     * The budget left for the next attempt (the time limit starts again: the dead worker's time is unknown), or the
     * limit that is already used up.
     */
    public Remaining remainingOf(Budget budget) {
        if (modelCalls >= budget.maxModelCalls()) {
            return new Remaining.UsedUp(new RunOutcome.BudgetExhausted(BudgetKind.MODEL_CALLS, budget.maxModelCalls() + " calls"));
        }
        if (tokensIn + tokensOut >= budget.maxTokens()) {
            return new Remaining.UsedUp(new RunOutcome.BudgetExhausted(BudgetKind.TOKENS, budget.maxTokens() + " tokens"));
        }
        if (costUsd.compareTo(budget.maxCost()) >= 0) {
            return new Remaining.UsedUp(new RunOutcome.BudgetExhausted(BudgetKind.COST, "$" + budget.maxCost().toPlainString()));
        }
        return new Remaining.Left(new Budget(budget.maxModelCalls() - modelCalls, budget.maxTokens() - tokensIn - tokensOut,
                budget.timeout(), budget.maxCost().subtract(costUsd)));
    }

    /** What {@link #remainingOf} found. */
    public sealed interface Remaining {
        record Left(Budget budget) implements Remaining {}

        record UsedUp(RunOutcome.BudgetExhausted outcome) implements Remaining {}
    }
}
