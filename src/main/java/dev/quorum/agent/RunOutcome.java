package dev.quorum.agent;

/** How a run ended. Every case is a normal return: runs do not throw for these. */
public sealed interface RunOutcome {

    /** A sentence for the chat reply, e.g. "stopped: the tokens budget (20000) was reached". */
    String describe();

    /** The model answered without asking for more tools. */
    record Completed() implements RunOutcome {
        @Override
        public String describe() {
            return "completed";
        }
    }

    /** A budget limit was reached; the work so far is kept. */
    record BudgetExhausted(BudgetKind kind, String limit) implements RunOutcome {
        @Override
        public String describe() {
            return "stopped: the " + kind.label() + " budget (" + limit + ") was reached";
        }
    }

    /** The requester or on-call cancelled; the work so far is kept. */
    record Cancelled() implements RunOutcome {
        @Override
        public String describe() {
            return "cancelled";
        }
    }

    /** The model or the machinery failed; {@code message} is fit for the requester, never a stack trace. */
    record Failed(String message) implements RunOutcome {
        @Override
        public String describe() {
            return "failed: " + message;
        }
    }

    /** The run was not started, e.g. coding without a configured model; {@code message} says how to fix it. */
    record Refused(String message) implements RunOutcome {
        @Override
        public String describe() {
            return message;
        }
    }
}
