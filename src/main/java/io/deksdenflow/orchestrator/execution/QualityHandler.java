package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.QaLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.protocol.StepTransitions;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import io.deksdenflow.orchestrator.queue.Job;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * run_quality_job ({@link QaGate} does the checks and the QA run): first the declared checks (the protocol's, else the project's) run in the worktree
 * ({@link QaChecks}), their results stored with the step and sent as {@code qa_checks}; then a
 * read-only engine run over the protocol files, the step file, the git state and the checks'
 * results; the report is kept as {@code .protocols/<name>/<step>.qa.md}, committed and pushed. A
 * failed check makes the verdict FAIL whatever the agent says ({@code verdict_source: checks});
 * otherwise the agent's verdict decides ({@code agent}). PASS completes the step; FAIL (or no verdict
 * at all) fails it and blocks the protocol.
 */
@Component
class QualityHandler implements JobHandler<JobScope.StepWork> {
    static final int REPORT_MAX_CHARS = 64 * 1024;
    private final JobScope scope;
    private final Workspace workspace;
    private final QaLifecycle lifecycle;
    private final ProtocolFiles files;
    private final QaGate gate;

    QualityHandler(JobScope scope, Workspace workspace, QaLifecycle lifecycle, ProtocolFiles files, QaGate gate) {
        this.files = files;
        this.scope = scope;
        this.workspace = workspace;
        this.lifecycle = lifecycle;
        this.gate = gate;
    }

    @Override
    public JobType type() {
        return JobType.RUN_QUALITY_JOB;
    }

    /** The step needs QA and its protocol allows step work. */
    @Override
    public Precondition<JobScope.StepWork> precondition(Job job) {
        return scope.step(job,
                (run, step) -> step.status() == StepStatus.NEEDS_QA && StepTransitions.protocolAllowsStepWork(run.status()),
                (run, step) -> "step is " + step.status().api() + " in a " + run.status().api() + " protocol");
    }

    @Override
    public RetryPolicy retryPolicy(RetryPolicy defaults) {
        return JobRetries.agentRun(defaults);
    }

    @Override
    public void handle(JobContext ctx, JobScope.StepWork target) {
        ProtocolRun run = target.run();
        StepRun step = target.step();
        JobTimings timings = new JobTimings();
        Project project = scope.project(run.projectId());
        GitClient git = scope.git(project);
        Path worktree = Worktrees.ensure(git, workspace, project, run);
        timings.mark("worktree");
        // a worker with its own disk brought the worktree exactly to origin's head: nothing uncommitted in it
        boolean clean = workspace.perWorker() && workspace.checkouts().get(worktree).map(c -> c.head() != null).orElse(false);
        QaGate.Result qa = gate.run(ctx, project, run, step, git, worktree, clean);
        timings.mark("gate");
        if (qa == null) return; // cancelled
        VerdictParser.QaVerdict verdict = qa.verdict();
        files.writeFile(worktree, run.protocolName(), step.stem() + ".qa.md", qa.report());
        GitClient.Committed committed = git.commit(worktree, "docs(qa): " + verdict.verdict() + " for " + step.stem()
                + " [protocol-" + run.number() + "/" + step.number() + "]");
        String sha = committed.sha().orElseGet(() -> git.headSha(worktree));
        timings.mark("commit");
        scope.pushForOutcome(git, worktree, run, sha); // qaVerdict records the head
        if (committed.exact()) workspace.checkouts().settled(worktree, sha);
        timings.mark("push");
        Map<String, Object> meta = qa.meta(step);
        timings.into(meta, git);
        meta.put("duration_ms", qa.out().result().duration() == null ? null : qa.out().result().duration().toMillis());
        workspace.checkouts().get(worktree).ifPresent(c -> {
            meta.put("worktree", c.cold() ? "cold" : "warm");
            meta.put("worktree_ms", c.prepareMs());
        });
        meta.put("report_file", ProtocolFiles.relativeDir(run.protocolName()) + "/" + step.stem() + ".qa.md");
        String stored = qa.report().length() > REPORT_MAX_CHARS ? qa.report().substring(0, REPORT_MAX_CHARS) : qa.report();
        lifecycle.qaVerdict(step.id(), new QaLifecycle.QaVerdict(verdict.passed(), verdict.verdict(), qa.source(),
                verdict.reason(), verdict.summary(), qa.failures(), stored), meta, sha);
    }
}
