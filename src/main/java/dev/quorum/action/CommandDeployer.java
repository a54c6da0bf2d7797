package dev.quorum.action;

import dev.quorum.approval.ActionRecord;
import dev.quorum.config.EnvironmentConfig;
import dev.quorum.config.QuorumConfig;
import dev.quorum.evidence.CommandOutcome;
import dev.quorum.evidence.CommandRun;
import dev.quorum.evidence.CommandRunner;
import dev.quorum.evidence.Redactor;
import dev.quorum.evidence.ScrubbedEnvironment;
import dev.quorum.evidence.TestTargets;
import dev.quorum.evidence.Workspace;
import dev.quorum.evidence.WorkspaceException;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Deploys by running the environment's command, in the repository's sandbox, in a clean checkout of the approved commit, with
 * {@code QUORUM_ENV}, {@code QUORUM_REF}, {@code QUORUM_SHA} and {@code QUORUM_REQUEST} set and
 * nothing else of Quorum's environment but what the repo allows; the output is redacted, kept
 * in {@code data/deploy-logs/<id>.log} and attached to the request.
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

    Execution deploy(Request r, ActionRecord a, EnvironmentConfig env, Cancellation cancel) throws IOException {
        var s = a.subject();
        Path data = config.dataDir().toAbsolutePath();
        Path log = data.resolve("deploy-logs").resolve(r.id() + ".log");
        Files.createDirectories(log.getParent());
        List<String> secrets = new ArrayList<>(TestTargets.secretsOf(config));
        secrets.addAll(ScrubbedEnvironment.quorumSecretValues(hostEnv));
        Redactor redactor = Redactor.of(secrets);
        try (Workspace ws = Workspace.create(data.resolve("workspaces"), s.repo(), config.repoDir(s.repo()).toAbsolutePath(), s.resultSha())) {
            Map<String, String> environment = new HashMap<>(ScrubbedEnvironment.build(hostEnv,
                    new LinkedHashSet<>(config.repos().get(s.repo()).env()), ws.home(), ws.tmp()));
            environment.put("QUORUM_ENV", s.target());
            environment.put("QUORUM_REF", s.source());
            environment.put("QUORUM_SHA", s.resultSha());
            environment.put("QUORUM_REQUEST", r.id());
            Sandbox sandbox = targets.of(s.repo()).orElseThrow(() -> new IllegalStateException("repo " + s.repo() + " is not configured")).sandbox();
            Launch launch = sandbox.prepare(new RunRequest(env.command(), ws.checkout(), ws.home(), ws.tmp(), ws.scratch(),
                    environment, Trust.DEPLOY));
            CommandOutcome out = runner.run(new CommandRun(launch, env.timeout(), redactor, log), cancel, elapsed -> { });
            String sha = s.resultSha().substring(0, 7);
            return switch (out.ending()) {
                case EXITED -> out.exitCode() != null && out.exitCode() == 0
                        ? new Execution.Done("deployed " + sha + " to " + s.target() + " with `" + env.command() + "`.", out.logTail())
                        : new Execution.Failed("`" + env.command() + "` exited with " + out.exitCode() + " deploying " + sha + " to " + s.target() + ".", out.logTail());
                case TIMED_OUT -> new Execution.Failed("`" + env.command() + "` was killed after " + env.timeout().toSeconds() + " s deploying " + sha + ".", out.logTail());
                case CANCELLED -> new Execution.Failed("the deployment of " + sha + " was stopped: " + cancel.reason().orElse("cancelled") + ".", out.logTail());
            };
        } catch (WorkspaceException e) {
            return new Execution.Failed("could not check out " + s.resultSha().substring(0, 7) + " to deploy it: " + e.getMessage(), "");
        } catch (SandboxException e) {
            return new Execution.Failed("nothing was deployed: " + e.getMessage(), "");
        }
    }
}
