package dev.quorum.action;

import dev.quorum.Quorum;
import dev.quorum.approval.ApprovalService;
import dev.quorum.approval.SubjectCheck;
import dev.quorum.audit.AuditLog;
import dev.quorum.conversation.Messenger;
import dev.quorum.config.QuorumConfig;
import dev.quorum.evidence.Redactor;
import dev.quorum.evidence.TestTargets;
import dev.quorum.repo.RepoHosts;
import dev.quorum.request.FreezeSwitch;
import dev.quorum.request.JobHandler;
import dev.quorum.request.Requests;
import dev.quorum.store.Redis;
import dev.quorum.testing.TestSandboxes;

import java.time.Clock;

/** Builds the execute job as {@code ActionCapability} does, for tests that drive jobs by hand. */
public final class ActionTestAccess {
    private ActionTestAccess() {}

    /** What each environment runs, as {@code ActionCapability} gives it to the subject check. */
    public static SubjectCheck.Deployed deployments(Redis redis) {
        return new Deployments(redis);
    }

    public static JobHandler executeJob(QuorumConfig config, Requests requests, ApprovalService approvals, SubjectCheck check,
                                        FreezeSwitch freeze, Redis redis, Messenger messenger, AuditLog audit, Clock clock) {
        Redactor redactor = TestTargets.redactorFor(config, System.getenv());
        DeployExecutor deploys = new DeployExecutor(config, redis, new Deployments(redis),
                new CommandDeployer(config, new TestTargets(config, RepoHosts.from(config), TestSandboxes.host()), System.getenv()),
                new WebhookDeployer(clock, Quorum.version(), redactor), redactor);
        return new ExecuteJob(requests, approvals, check, freeze, new TargetLock(redis), new MergeExecutor(RepoHosts.from(config), audit, redis), deploys,
                messenger, audit);
    }
}
