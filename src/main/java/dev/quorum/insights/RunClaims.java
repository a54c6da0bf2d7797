package dev.quorum.insights;

import dev.quorum.request.RequestStore;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an agent run's end means for the insights: whether its final message said the tests pass, whether Quorum's
 * own run of the final commit passed, and which budget stopped it. Written on the request just before the state
 * change that ends it, which counts them in the same step as the state ({@code rollup.lua}); the evidence field goes
 * last, so a crash between the writes leaves a run that is not counted as compared, never half of one.
 */
public final class RunClaims {
    /** A sentence that says the tests pass: "all tests pass", "the tests are passing", "tests green", "test suite passed". */
    private static final Pattern CLAIM = Pattern.compile(
            "\\b(all )?(the )?(unit |integration )?(tests?|test suite|suite|build)( now| all| still)? "
                    + "(pass|passes|passed|passing|are passing|are green|is green|green|succeed|succeeds|succeeded)\\b"
                    + "|\\ball green\\b|\\ball \\d+ tests? pass");
    /** A sentence with any of these is never read as a claim: it negates, hedges or reports a failure. */
    private static final Pattern DOUBT = Pattern.compile(
            "\\b(not|no|never|fail\\w*|broken|unable|cannot|could ?n[o']t|did ?n[o']t|does ?n[o']t|do ?n[o']t|is ?n[o']t|"
                    + "are ?n[o']t|should|might|may|probably|hopefully|except|but|unless|if|until|once|before|whether|red)\\b");
    private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?;])\\s+|\\n+");

    private final RequestStore requests;

    public RunClaims(RequestStore requests) {
        this.requests = requests;
    }

    /**
     * Records how the run of {@code requestId} ended, before the change of state that ends it.
     *
     * @param finalMessage   the agent's final message (its summary), or null when it gave none
     * @param evidencePassed Quorum's verdict on the final commit, empty when Quorum did not test it
     * @param budgetStop     the budget limit that stopped the run ("tokens", "cost", ...), or null
     */
    public void record(String requestId, String finalMessage, Optional<Boolean> evidencePassed, String budgetStop) {
        if (budgetStop != null) requests.annotate(requestId, "budget_stop", budgetStop.toLowerCase(Locale.ROOT).replace(' ', '_'));
        if (evidencePassed.isEmpty()) return;
        requests.annotate(requestId, "claimed_pass", saysTestsPass(finalMessage) ? "1" : "0");
        requests.annotate(requestId, "evidence_pass", evidencePassed.get() ? "1" : "0");
    }

    /**
     * The documented rule (README, Insights): the agent gives no structured verdict, so its final message claims the
     * tests pass when one of its sentences says so plainly: a phrase like "all tests pass" with no negation, hedge or
     * failure word in the same sentence. Conservative: a doubtful sentence is no claim, so a claim counted against the
     * evidence is one the agent really made.
     */
    static boolean saysTestsPass(String finalMessage) {
        if (finalMessage == null) return false;
        for (String sentence : SENTENCE.split(finalMessage.toLowerCase(Locale.ROOT))) {
            if (CLAIM.matcher(sentence).find() && !DOUBT.matcher(sentence).find()) return true;
        }
        return false;
    }
}
