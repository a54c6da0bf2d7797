package dev.quorum.action;

import dev.quorum.Assembly;
import dev.quorum.Quorum;
import dev.quorum.approval.ActionStore;
import dev.quorum.approval.ApprovalCard;
import dev.quorum.approval.ApprovalService;
import dev.quorum.approval.ApprovalViews;
import dev.quorum.approval.ApproveHandler;
import dev.quorum.approval.RejectHandler;
import dev.quorum.approval.SubjectCheck;
import dev.quorum.evidence.EvidenceCapability.Evidence;
import dev.quorum.request.RequestFacet;
import dev.quorum.request.Request;

import java.time.Duration;

/**
 * Installs {@code merge}, {@code deploy}, {@code approve} and {@code reject}: verification before
 * votes, the quorum rules, the freeze, expiry, and the executors.
 */
public final class ActionCapability {
    private static final Duration EXPIRY_SWEEP = Duration.ofSeconds(5);

    private ActionCapability() {}

    public static ApprovalService install(Assembly a, Evidence evidence) {
        ActionStore store = new ActionStore(a.redis());
        Deployments deployed = new Deployments(a.redis());
        SubjectCheck check = new SubjectCheck(a.config(), a.repos(), evidence.store(), deployed);
        ApprovalService approvals = new ApprovalService(a.requests(), store, evidence.store(), check, a.directory(),
                new ApprovalCard(a.directory(), a.links()), a.messenger(), a.audit(), a.redis(), a.clock());
        DeployExecutor deploys = new DeployExecutor(a.config(), a.redis(), deployed, new CommandDeployer(a.config(), evidence.targets(), System.getenv()),
                new WebhookDeployer(a.clock(), Quorum.version(), a.redactor()), a.redactor());
        a.command(new MergeHandler(a.config(), a.repos(), a.requests(), a.progress()));
        a.command(new DeployHandler(a.config(), a.repos(), a.requests(), a.progress()));
        a.command(new ApproveHandler(approvals));
        a.command(new RejectHandler(approvals));
        a.job(VerifyJob.KIND, new VerifyJob(a.config(), a.repos(), a.requests(), evidence, approvals, check, deployed, a.progress(), a.messenger(),
                new MergePlans(a.redis())));
        a.job(ExecuteJob.KIND, new ExecuteJob(a.requests(), approvals, check, a.freeze(), new TargetLock(a.redis(), a.config().workers().reclaimAfter()),
                new MergeExecutor(a.repos(), a.audit(), a.redis()), deploys, a.messenger(), a.audit()));
        ApprovalViews views = new ApprovalViews(store, a.config(), a.directory());
        a.facet(views.subject());
        a.facet(views.votes());
        a.facet(views.tally());
        a.facet(new RequestFacet() {
            public String name() {
                return "execution";
            }

            public Object of(Request r) {
                return deploys.record(r.id());
            }
        });
        a.details(views);
        a.diffs(views::diffRange);
        // A deploy that reused passing evidence ran no tests itself: its evidence is the one its votes bind to.
        evidence.views().attach(id -> store.find(id).map(rec -> rec.subject().evidenceDigest()));
        a.afterUnfreeze(approvals::releaseAfterUnfreeze);
        a.afterStart(() -> {
            ExpirySweeper sweeper = new ExpirySweeper(approvals, EXPIRY_SWEEP);
            a.onClose(sweeper);
        });
        return approvals;
    }
}
