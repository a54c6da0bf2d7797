package dev.quorum.action;

import dev.quorum.approval.ActionRecord;
import dev.quorum.config.EnvironmentConfig;
import dev.quorum.config.QuorumConfig;
import dev.quorum.evidence.CommandOutcome;
import dev.quorum.evidence.CommandRun;
import dev.quorum.evidence.CommandRunner;
import dev.quorum.evidence.Redactor;
import dev.quorum.evidence.ScrubbedEnvironment;
import dev.quorum.evidence.TestTarget;
import dev.quorum.evidence.TestTargets;
import dev.quorum.evidence.Workspace;
import dev.quorum.evidence.WorkspaceException;
import dev.quorum.repo.Sha;
import dev.quorum.request.Cancellation;
import dev.quorum.request.Request;
import dev.quorum.sandbox.Launch;
import dev.quorum.sandbox.RunRequest;
import dev.quorum.sandbox.Sandbox;
import dev.quorum.sandbox.SandboxException;
import dev.quorum.sandbox.Trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Deploys by running the environment's command, in the repository's sandbox, in a clean checkout of the approved commit, with
 * {@code QUORUM_ENV}, {@code QUORUM_REF}, {@code QUORUM_SHA}, {@code QUORUM_REQUEST} and {@code QUORUM_FENCE} (the
 * environment lock's fencing token: a deploy tool may refuse one smaller than the last it saw) set and
 * nothing else of Quorum's environment but what the repo's and the environment's {@code env}
 * allow, plus the environment's {@code secrets} read from their files; the output is redacted
 * (those secrets too), kept in {@code data/deploy-logs/<id>.log} and attached to the request.
 */
public final class CommandDeployer {
    private final QuorumConfig config;
    private final TestTargets targets;
    private final CommandRunner runner;
    private final Map<String, String> hostEnv;

    public CommandDeployer(QuorumConfig config, TestTargets targets, Map<String, String> hostEnv) {
        this.config = config;
        this.targets = targets;
        this.runner = new CommandRunner(Duration.ofSeconds(10), Duration.ofSeconds(5));
        this.hostEnv = Map.copyOf(hostEnv);
    }

    Execution deploy(Request r, ActionRecord a, EnvironmentConfig env, long fence, Cancellation cancel) throws IOException {
        var s = a.subject();
        Path data = config.dataDir().toAbsolutePath();
        Path log = data.resolve("deploy-logs").resolve(r.id() + ".log");
        Files.createDirectories(log.getParent());
        Map<String, String> deploySecrets;
        try {
            deploySecrets = readSecrets(s.target(), env);
        } catch (UnreadableSecret e) {
            return new Execution.Failed(e.getMessage(), "");
        }
        Redactor redactor = TestTargets.redactorFor(config, hostEnv).with(deploySecrets.values());
        try (Workspace ws = Workspace.create(data.resolve("workspaces"), target(s.repo()).host(), new Sha(s.resultSha()))) {
            Set<String> allowed = new LinkedHashSet<>(config.repos().get(s.repo()).env());
            allowed.addAll(env.env()); // this environment's own variables: its deploy gets them, no test run ever does
            Map<String, String> environment = new HashMap<>(ScrubbedEnvironment.build(hostEnv, allowed, ws.home(), ws.tmp()));
            environment.putAll(deploySecrets);
            environment.put("QUORUM_ENV", s.target());
            environment.put("QUORUM_REF", s.source());
            environment.put("QUORUM_SHA", s.resultSha());
            environment.put("QUORUM_REQUEST", r.id());
            environment.put("QUORUM_FENCE", String.valueOf(fence));
            Sandbox sandbox = target(s.repo()).sandbox();
            Launch launch = sandbox.prepare(new RunRequest(env.command(), ws.checkout(), ws.home(), ws.tmp(), ws.scratch(),
                    environment, Trust.DEPLOY));
            CommandOutcome out = runner.run(new CommandRun(launch, env.timeout(), redactor, log), cancel, elapsed -> { });
            String sha = new Sha(s.resultSha()).abbrev();
            return switch (out.ending()) {
                case EXITED -> out.exitCode() != null && out.exitCode() == 0
                        ? new Execution.Done("deployed " + sha + " to " + s.target() + " with `" + env.command() + "`.", out.logTail())
                        : new Execution.Failed("`" + env.command() + "` exited with " + out.exitCode() + " deploying " + sha + " to " + s.target() + ".", out.logTail());
                case TIMED_OUT -> new Execution.Failed("`" + env.command() + "` was killed after " + env.timeout().toSeconds() + " s deploying " + sha + ".", out.logTail());
                case CANCELLED -> new Execution.Failed("the deployment of " + sha + " was stopped: " + cancel.reason().orElse("cancelled") + ".", out.logTail());
            };
        } catch (WorkspaceException e) {
            return new Execution.Failed("could not check out " + new Sha(s.resultSha()).abbrev() + " to deploy it: " + e.getMessage(), "");
        } catch (SandboxException e) {
            return new Execution.Failed("nothing was deployed: " + e.getMessage(), "");
        }
    }

    /**
     * Each of the environment's {@code secrets}, read from its file now (so a rotated file counts
     * at once, and no value sits in Quorum's config or memory between deploys); one trailing line
     * break is dropped. A problem names the variable and the file, never the value.
     */
    private TestTarget target(String repo) {
        return targets.of(repo).orElseThrow(() -> new IllegalStateException("repo " + repo + " is not configured"));
    }

    private static Map<String, String> readSecrets(String environment, EnvironmentConfig env) throws UnreadableSecret {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> secret : env.secrets().entrySet()) {
            String where = "the secret " + secret.getKey() + " of " + environment + " (" + secret.getValue() + ")";
            String value;
            try {
                value = Files.readString(Path.of(secret.getValue()));
            } catch (IOException | RuntimeException e) {
                throw new UnreadableSecret("could not read " + where + ": " + e.getClass().getSimpleName() + "; nothing was deployed");
            }
            value = value.endsWith("\r\n") ? value.substring(0, value.length() - 2) : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
            if (value.length() < Redactor.MIN_SECRET_LENGTH) {
                throw new UnreadableSecret(where + " is shorter than " + Redactor.MIN_SECRET_LENGTH
                        + " characters, too short to mask in the deploy log; nothing was deployed");
            }
            values.put(secret.getKey(), value);
        }
        return values;
    }

    private static final class UnreadableSecret extends Exception {
        UnreadableSecret(String message) {
            super(message);
        }
    }
}
