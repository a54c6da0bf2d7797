package dev.quorum.command;

import java.math.BigDecimal;

/**
 * Every command of SPEC §3, parsed. Records validate their own arguments; anything that needs
 * configuration or state (does the repo exist? may this person vote?) is decided by handlers.
 */
public sealed interface Command {
    /** The command word, as typed. */
    String name();

    record Help(String topic) implements Command {
        public String name() { return "help"; }
    }

    record Research(String question) implements Command {
        public String name() { return "research"; }
    }

    /** @param repo {@code null} for the default repo; @param budget {@code null} for the configured budget */
    record Code(String repo, BigDecimal budget, String task) implements Command {
        public String name() { return "code"; }
    }

    /**
     * Both parts optional: {@code null} means the default repo and its default branch.
     * {@code ref} may be a pull request, {@code #123} ({@link dev.quorum.repo.RefName#pullRequest}).
     */
    record Test(String repo, String ref) implements Command {
        public String name() { return "test"; }
    }

    /**
     * @param source a request id ({@code R7}), a branch, or a pull request ({@code #123})
     * @param target {@code null} for the repo's default branch (a pull request's: its base)
     */
    record Merge(String source, String target) implements Command {
        public String name() { return "merge"; }
    }

    record Deploy(String environment, String ref) implements Command {
        public String name() { return "deploy"; }
    }

    record Approve(String requestId) implements Command {
        public String name() { return "approve"; }
    }

    record Reject(String requestId, String reason) implements Command {
        public String name() { return "reject"; }
    }

    /** @param requestId {@code null} for the overall status */
    record Status(String requestId) implements Command {
        public String name() { return "status"; }
    }

    /**
     * @param who   {@code null} for everyone, {@code "mine"} for the sender, or a name/identity after {@code @}
     * @param last  how many, 1..50
     */
    record History(String who, int last) implements Command {
        public static final int DEFAULT_LAST = 10;
        public static final int MAX_LAST = 50;

        public String name() { return "history"; }

        public boolean mine() {
            return "mine".equals(who);
        }
    }

    record Cancel(String requestId) implements Command {
        public String name() { return "cancel"; }
    }

    record Rerun(String requestId) implements Command {
        public String name() { return "rerun"; }
    }

    record Freeze(String reason) implements Command {
        public String name() { return "freeze"; }
    }

    record Unfreeze() implements Command {
        public String name() { return "unfreeze"; }
    }

    /** {@code incident <deploy id> <text>}: on-call marks a finished deploy as having failed in production. */
    record Incident(String deployId, String text) implements Command {
        public String name() { return "incident"; }
    }

    /** {@code digest [week|month]}: the key figures of the last 7 or 30 days, posted in the channel. */
    record Digest(Period period) implements Command {
        public String name() { return "digest"; }

        /** How far back a digest looks, in UTC days ending today. */
        public enum Period {
            WEEK(7), MONTH(30);

            private final int days;

            Period(int days) {
                this.days = days;
            }

            public int days() {
                return days;
            }

            /** The word that names it, in commands and config: {@code week}, {@code month}. */
            public String word() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }
    }

    /** @param action {@code null} for all, else {@code merge}, {@code deploy} or {@code deploy.<env>} */
    record Policy(String action) implements Command {
        public String name() { return "policy"; }
    }
}
