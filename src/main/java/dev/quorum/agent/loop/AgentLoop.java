package dev.quorum.agent.loop;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.quorum.agent.RunContext;
import dev.quorum.agent.RunOutcome;
import dev.quorum.agent.model.ModelCallException;
import dev.quorum.agent.model.ModelPrice;
import dev.quorum.agent.model.ModelReply;
import dev.quorum.agent.model.RetryingModelCaller;
import dev.quorum.agent.transcript.ModelCall;
import dev.quorum.agent.transcript.ModelCallFailure;
import dev.quorum.agent.transcript.ToolCall;
import dev.quorum.agent.transcript.Transcript;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent loop: send the conversation and the tool list to the model; run the tools it asks for and send back
 * their fenced results; repeat until it answers without tool calls, a budget is reached, or the run is cancelled.
 *
 * <p>Blocking: each run occupies its calling thread (meant to be a virtual thread) until it ends. Safe for
 * concurrent use: all per-run state lives in the call, so hundreds of runs may share one loop. It never throws for
 * model or tool failures; those end as {@link RunOutcome.Failed} or are reported to the model.
 *
 * <p>Budgets are checked before each model call; tools the model asked for in its last reply still run (they cost
 * no tokens) unless the run is cancelled or out of time, checked between tools.
 */
public final class AgentLoop {

    private static final Logger LOG = LoggerFactory.getLogger(AgentLoop.class);
    /** The model sees at most this much of one tool result; tools bound their own output well below it. */
    static final int MAX_TOOL_RESULT_CHARS = 24_000;

    private final RetryingModelCaller caller;
    private final String modelName;
    private final Function<String, ModelPrice> prices;

    /**
     * @param modelName the configured model, used for the transcript when a reply does not name one
     * @param prices    price of a model by name (as the provider reports it)
     */
    public AgentLoop(RetryingModelCaller caller, String modelName, Function<String, ModelPrice> prices) {
        this.caller = Objects.requireNonNull(caller, "caller");
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.prices = Objects.requireNonNull(prices, "prices");
    }

    public LoopResult run(LoopRequest request) {
        RunContext context = request.context();
        Transcript transcript = new Transcript(request.requestId(), context.transcript());
        BudgetMeter meter = new BudgetMeter(request.budget());
        ToolResultFence fence = ToolResultFence.random();
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(request.systemPrompt()));
        request.requesterMessages().forEach(text -> messages.add(UserMessage.from(text)));
        String lastText = null;

        while (true) {
            if (context.cancel().isCancelled()) {
                return end(new RunOutcome.Cancelled(), lastText, meter, transcript);
            }
            Optional<RunOutcome.BudgetExhausted> exhausted = meter.exhausted();
            if (exhausted.isPresent()) {
                return end(exhausted.get(), lastText, meter, transcript);
            }
            progress(request, "thinking (model call " + (meter.usage().modelCalls() + 1) + ")");
            ChatRequest chatRequest = ChatRequest.builder()
                    .messages(List.copyOf(messages))
                    .toolSpecifications(request.tools().specifications())
                    .build();
            Instant callStarted = Instant.now();
            ModelReply reply;
            try {
                reply = caller.call(chatRequest, () -> context.cancel().isCancelled() || meter.timeIsUp());
            } catch (ModelCallException e) {
                // a provider's outage or refusal is expected: its message says it, the trace is for debugging
                LOG.warn("{}: model call failed: {}", request.requestId(), e.getMessage());
                LOG.debug("{}: model call failure", request.requestId(), e.getCause());
                transcript.add(new ModelCallFailure(transcript.nextSeq(), callStarted,
                        millisSince(callStarted), e.attempts(), e.getMessage()));
                if (e.abandoned()) {
                    RunOutcome stop = context.cancel().isCancelled()
                            ? new RunOutcome.Cancelled() : meter.timeExhausted();
                    return end(stop, lastText, meter, transcript);
                }
                return end(new RunOutcome.Failed(e.getMessage()), lastText, meter, transcript);
            }
            AiMessage ai = record(reply, callStarted, meter, transcript);
            messages.add(ai);
            if (ai.text() != null && !ai.text().isBlank()) {
                lastText = ai.text();
            }
            if (!ai.hasToolExecutionRequests()) {
                return end(new RunOutcome.Completed(), lastText, meter, transcript);
            }
            for (ToolExecutionRequest toolRequest : ai.toolExecutionRequests()) {
                if (context.cancel().isCancelled()) {
                    return end(new RunOutcome.Cancelled(), lastText, meter, transcript);
                }
                if (meter.timeIsUp()) {
                    return end(meter.timeExhausted(), lastText, meter, transcript);
                }
                messages.add(runTool(request, toolRequest, fence, transcript));
            }
        }
    }

    private AiMessage record(ModelReply reply, Instant started, BudgetMeter meter, Transcript transcript) {
        ChatResponse response = reply.response();
        TokenUsage usage = response.tokenUsage();
        long in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        long out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        String model = response.modelName() == null ? modelName : response.modelName();
        BigDecimal cost = prices.apply(model).cost(in, out);
        meter.recordCall(in, out, cost);
        AiMessage ai = response.aiMessage();
        List<String> tools = ai.hasToolExecutionRequests()
                ? ai.toolExecutionRequests().stream().map(ToolExecutionRequest::name).toList()
                : List.of();
        String finish = response.finishReason() == null
                ? "unknown" : response.finishReason().name().toLowerCase(Locale.ROOT);
        transcript.add(new ModelCall(transcript.nextSeq(), started, model, in, out, reply.latency().toMillis(),
                reply.attempts(), cost, finish, tools));
        return ai;
    }

    private ToolExecutionResultMessage runTool(LoopRequest request, ToolExecutionRequest call,
                                               ToolResultFence fence, Transcript transcript) {
        Instant started = Instant.now();
        ToolOutcome outcome = execute(request, call);
        String text = outcome.text().length() <= MAX_TOOL_RESULT_CHARS ? outcome.text()
                : outcome.text().substring(0, MAX_TOOL_RESULT_CHARS) + "\n… [cut: result longer than "
                        + MAX_TOOL_RESULT_CHARS + " characters]";
        ToolCall.Status status = switch (outcome) {
            case ToolOutcome.Ok ok -> ToolCall.Status.OK;
            case ToolOutcome.Refused refused -> ToolCall.Status.REFUSED;
            case ToolOutcome.Failed failed -> ToolCall.Status.FAILED;
        };
        transcript.add(new ToolCall(transcript.nextSeq(), started, call.name(), call.arguments(), status, text,
                millisSince(started)));
        String id = call.id() == null ? call.name() : call.id();
        return ToolExecutionResultMessage.from(id, call.name(),
                fence.wrap(call.name(), status.name().toLowerCase(Locale.ROOT), text));
    }

    private ToolOutcome execute(LoopRequest request, ToolExecutionRequest call) {
        Optional<AgentTool> tool = request.tools().find(call.name());
        if (tool.isEmpty()) {
            return new ToolOutcome.Failed("There is no tool named '" + call.name() + "'. Available tools: "
                    + String.join(", ", request.tools().names()) + ".");
        }
        try {
            ToolArguments arguments = ToolArguments.parse(call.name(), call.arguments());
            progress(request, tool.get().progress(arguments));
            return tool.get().execute(arguments);
        } catch (ToolArguments.BadToolArgumentsException e) {
            return new ToolOutcome.Failed(e.getMessage());
        } catch (IOException e) {
            return new ToolOutcome.Failed(call.name() + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{}: tool {} failed unexpectedly", request.requestId(), call.name(), e);
            return new ToolOutcome.Failed(call.name() + " failed with an internal error ("
                    + e.getClass().getSimpleName() + ").");
        }
    }

    private static LoopResult end(RunOutcome outcome, String lastText, BudgetMeter meter, Transcript transcript) {
        return new LoopResult(outcome, lastText, meter.usage(), transcript.entries());
    }

    private static void progress(LoopRequest request, String status) {
        request.context().report(request.requestId(), status);
    }

    private static long millisSince(Instant start) {
        return Duration.between(start, Instant.now()).toMillis();
    }
}
