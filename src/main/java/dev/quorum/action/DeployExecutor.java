package dev.quorum.action;

import dev.quorum.approval.ActionRecord;
import dev.quorum.config.EnvironmentConfig;
import dev.quorum.config.QuorumConfig;
import dev.quorum.evidence.Redactor;
import dev.quorum.evidence.TerminalText;
import dev.quorum.request.Cancellation;
import dev.quorum.repo.Sha;
import dev.quorum.request.Request;
import dev.quorum.store.Redis;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Deploys the approved commit to its environment by the configured command or webhook, with the environment lock's
 * fencing token ({@code QUORUM_FENCE}, the webhook's {@code fence}) so the deployment system can refuse an older
 * holder, at most once: an execution that was interrupted (Quorum died during it) is failed with a warning to
 * check the environment, never silently run a second time. What an execution says (its summary, posted to chat, and
 * its output, kept with the request) has every secret Quorum knows masked: a deployment system's answer may echo
 * anything.
 */
public final class DeployExecutor {
    /** The summary recorded for, and the first word of the reason of, a deployment Quorum stopped during. */
    private static final String INTERRUPTED = "interrupted";

    private final QuorumConfig config;
    private final ExecutionRecords records;
    private final Deployments deployments;
    private final CommandDeployer command;
    private final WebhookDeployer webhook;
    private final Redactor redactor;

    DeployExecutor(QuorumConfig config, Redis redis, Deployments deployments, CommandDeployer command, WebhookDeployer webhook,
                   Redactor redactor) {
        this.config = config;
        this.records = new ExecutionRecords(redis);
        this.deployments = deployments;
        this.command = command;
        this.webhook = webhook;
        this.redactor = redactor;
    }

    /**
     * Deploys, unless this request's deployment already started: the claim ({@code started_at}, with the fencing token
     * in the same step: {@link ExecutionRecords}) is taken before anything runs, so an execution that finds it never runs again. A recorded outcome (Quorum stopped
     * after the deploy finished but before the request moved) is reported as it was; a started one with no
     * outcome was interrupted and ends {@code failed: interrupted}, the channel asked to check the environment, since
     * nobody knows how far it got. The claim decides, not the delivery's {@code redelivered} flag: a job delivered
     * fresh may still find a claim (a duplicate), and a redelivered one may never have started (Quorum died waiting
     * for the lock).
     */
    Execution execute(Request r, ActionRecord a, TargetLock.Held held, Cancellation cancel) throws Exception {
        String envName = a.subject().target();
        EnvironmentConfig env = config.environments().get(envName);
        if (env == null) return new Execution.Failed("environment " + envName + " is no longer configured", "");
        Optional<String> lost = held.check();
        if (lost.isPresent()) return new Execution.Failed("nothing was deployed: " + lost.get() + ".", "");
        Optional<Map<String, String>> earlier = records.claim(r.id(), Map.of("fence", String.valueOf(held.fence())));
        if (earlier.isPresent()) return earlier(r, a, earlier.get());
        Execution result = redacted(env.byCommand()
                ? command.deploy(r, a, env, held.fence(), cancel)
                : webhook.deploy(r, a, env.webhook(), env.timeout(), held.fence(), cancel));
        String output = switch (result) {
            case Execution.Done d -> d.output();
            case Execution.Failed f -> f.output();
            case Execution.Stale s -> "";
        };
        // Quorum is stopping and killed the deploy part-way: as unknown an end as a crash, and said the same way
        if (Thread.currentThread().isInterrupted() && !(result instanceof Execution.Done)) return interrupted(r, a, output);
        records.finish(r.id(), result, output);
        if (result instanceof Execution.Done) deployments.record(envName, a.subject().resultSha(), r.id());
        return result;
    }

    /** The outcome of a deployment that started in an earlier delivery, which is never run a second time. */
    private Execution earlier(Request r, ActionRecord a, Map<String, String> record) {
        String envName = a.subject().target();
        String output = record.getOrDefault("output", "");
        String summary = record.getOrDefault("summary", INTERRUPTED);
        if (!record.containsKey("finished_at") || summary.equals(INTERRUPTED)) return interrupted(r, a, output);
        String again = ExecutionRecords.NOT_AGAIN;
        if (!Boolean.parseBoolean(record.get("ok"))) return new Execution.Failed(summary + again, output);
        deployments.record(envName, a.subject().resultSha(), r.id()); // Quorum may have stopped before it recorded it
        return new Execution.Done(summary + again, output);
    }

    /** Records that the deployment was cut off at an unknown point, and says so: the environment needs a look. */
    private Execution interrupted(Request r, ActionRecord a, String output) {
        String envName = a.subject().target();
        records.put(r.id(), Map.of("finished_at", String.valueOf(System.currentTimeMillis()), "ok", "false",
                "summary", INTERRUPTED, "output", output));
        return new Execution.Failed(INTERRUPTED + ": the deployment of " + new Sha(a.subject().resultSha()).abbrev() + " to "
                + envName + " was interrupted (Quorum stopped while it ran) and is not run again automatically. Check "
                + envName + " before deploying again.", output);
    }

    private Execution redacted(Execution result) {
        return switch (result) {
            case Execution.Done d -> new Execution.Done(redactor.redact(d.summary()), redactor.redact(d.output()));
            case Execution.Failed f -> new Execution.Failed(redactor.redact(f.summary()), redactor.redact(f.output()));
            case Execution.Stale s -> new Execution.Stale(redactor.redact(s.why()));
        };
    }

    /**
     * The record of an execution for the API, or {@code null} when it never started: {@code started_at} and
     * {@code finished_at} as ISO-8601 times like every time in the API ({@code finished_at} null while it runs, or
     * when Quorum stopped during it), {@code ok} a boolean (null until finished), {@code fence} the environment lock's
     * fencing token it was given (null for a record older than fencing), {@code output} as plain text.
     * Stored as epoch milliseconds, because {@code started_at} is also the claim that it ran ({@link ExecutionRecords}).
     */
    public Map<String, Object> record(String requestId) {
        Map<String, String> stored = records.get(requestId);
        if (stored.isEmpty()) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("started_at", isoTime(stored.get("started_at")));
        m.put("finished_at", isoTime(stored.get("finished_at")));
        m.put("ok", stored.containsKey("ok") ? Boolean.valueOf(stored.get("ok")) : null);
        String fence = stored.get("fence");
        m.put("fence", fence != null && fence.matches("\\d{1,18}") ? Long.valueOf(fence) : null);
        m.put("output", TerminalText.plain(stored.getOrDefault("output", "")));
        return m;
    }

    private static String isoTime(String epochMillis) {
        if (epochMillis == null || !epochMillis.matches("\\d{1,15}")) return null;
        return Instant.ofEpochMilli(Long.parseLong(epochMillis)).toString();
    }
}
