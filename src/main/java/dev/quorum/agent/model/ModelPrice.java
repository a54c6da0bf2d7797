package dev.quorum.agent.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * What one model costs, in US dollars per million tokens, input and output priced apart.
 *
 * @param inputPerMillion  dollars per million input (prompt) tokens, not negative
 * @param outputPerMillion dollars per million output (completion) tokens, not negative
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {

    /** A model whose price is unknown or zero, such as a local Ollama model. */
    public static final ModelPrice FREE = new ModelPrice(BigDecimal.ZERO, BigDecimal.ZERO);

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    public ModelPrice {
        Objects.requireNonNull(inputPerMillion, "inputPerMillion");
        Objects.requireNonNull(outputPerMillion, "outputPerMillion");
        if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
            throw new IllegalArgumentException("model prices must not be negative");
        }
    }

    public static ModelPrice of(String inputPerMillion, String outputPerMillion) {
        return new ModelPrice(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion));
    }

    /** The cost of one call, in dollars, rounded to a millionth of a dollar. */
    public BigDecimal cost(long inputTokens, long outputTokens) {
        BigDecimal in = inputPerMillion.multiply(BigDecimal.valueOf(inputTokens));
        BigDecimal out = outputPerMillion.multiply(BigDecimal.valueOf(outputTokens));
        return in.add(out).divide(MILLION, 6, RoundingMode.HALF_UP);
    }
}
