package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.forge.CiFailure;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.CiLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.protocol.CiLoopStore;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import io.deksdenflow.orchestrator.queue.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * ci_triage_job: the failure a webhook claimed ({@code ci_fixes} row, queued) is fetched from the forge
 * ({@link ForgeCi}); {@code ci_failed} carries {@code failures: [{job, step, url, excerpt}]}. Then, in one
 * transaction: a re-run claim asks the forge to re-run the failed jobs ({@code ci_rerun_requested});
 * while the step has fix attempts left the step is blocked and a {@code ci_fix_job} enqueued; otherwise
 * the protocol is blocked ({@code ci_fix_exhausted} naming the last failures, or plain {@code ci_failed}
 * when auto-fix is off).
 */
@Component
class CiTriageHandler implements JobHandler<CiLoopStore.Fix> {
    private final JobScope scope;
    private final ProtocolStore protocols;
    private final ForgeCi forge;
    private final CiLifecycle lifecycle;

    CiTriageHandler(JobScope scope, ProtocolStore protocols, ForgeCi forge, CiLifecycle lifecycle) {
        this.scope = scope;
        this.protocols = protocols;
        this.forge = forge;
        this.lifecycle = lifecycle;
    }

    @Override
    public JobType type() {
        return JobType.CI_TRIAGE_JOB;
    }

    /**
     * A CI failure waits for triage; taking it (queued → triaging) is the precondition. A retry of this job
     * resumes the failure an earlier attempt had taken; else the oldest waiting one.
     */
    @Override
    public Precondition<CiLoopStore.Fix> precondition(Job job) {
        Optional<CiLoopStore.Fix> row = lifecycle.ciTriageTaken(job.protocolRunId(), job.attempt() > 1);
        return row.isPresent() ? Precondition.ready(row.get()) : scope.skip(job, "no CI failure waits for triage");
    }

    @Override
    public RetryPolicy retryPolicy(RetryPolicy defaults) {
        return JobRetries.forgeCall(defaults);
    }

    @Override
    public void handle(JobContext ctx, CiLoopStore.Fix row) {
        long protocolId = row.protocolRunId();
        ProtocolRun run = protocols.get(protocolId);
        Project project = scope.project(run.projectId());
        List<CiFailure> failures = forge.failures(project, row.ciRef());
        List<Map<String, Object>> failureMaps = failures.stream().map(CiFailure::toMap).toList();
        String rerunProblem = null;
        boolean rerun = CiLoopStore.KIND_RERUN.equals(row.kind()) && run.status() == ProtocolStatus.RUNNING;
        if (rerun) {
            rerunProblem = forge.rerun(project, row.ciRef());
        }
        lifecycle.ciTriaged(row.id(), failureMaps, rerun, rerunProblem);
    }
}
