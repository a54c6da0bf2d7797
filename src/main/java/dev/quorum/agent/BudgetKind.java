package dev.quorum.agent;

/** Which limit of a {@link Budget} stopped a run. */
public enum BudgetKind {
    MODEL_CALLS("model calls"),
    TOKENS("tokens"),
    TIME("time"),
    COST("cost");

    private final String label;

    BudgetKind(String label) {
        this.label = label;
    }

    /** Lower-case words for messages: "model calls", "tokens", "time", "cost". */
    public String label() {
        return label;
    }
}
