package dev.quorum.agent.work;

import dev.quorum.agent.Budget;
import dev.quorum.request.Request;
import java.util.Map;

/**
 * One go at running a request, ready to run. A request is attempted again when the instance running it died or
 * stopped.
 *
 * @param request  the request, running
 * @param number   1 for the first attempt
 * @param inputs   what it works on, as stored when it was opened
 * @param settings the model and budget it was opened with
 * @param budget   what this attempt may use: the request's budget less what earlier attempts used
 */
record Attempt(Request request, int number, Map<String, String> inputs, RunSettings settings, Budget budget) {
    Attempt {
        inputs = Map.copyOf(inputs);
    }
}
