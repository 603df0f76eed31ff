package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolDriver;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StateChanges;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.protocol.StepTransitions;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.store.ProtocolStore;
import io.deksdenflow.orchestrator.store.StepStore;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * run_quality_job: a read-only engine run over the protocol files, the step file and the git
 * state; the report is kept as {@code .protocols/<name>/<step>.qa.md}, committed and pushed. PASS
 * completes the step; FAIL (or no verdict at all) fails it and blocks the protocol.
 */
@Component
class QualityHandler implements JobHandler {
    static final int REPORT_MAX_CHARS = 64 * 1024;
    private final JobScope scope;
    private final Workspace workspace;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final Transactions tx;
    private final StateChanges changes;
    private final ProtocolDriver driver;
    private final Prompts prompts;
    private final EngineCalls engineCalls;
    private final io.deksdenflow.orchestrator.ops.Meters meters;
    private final ProtocolFiles files;

    QualityHandler(JobScope scope, Workspace workspace, ProtocolStore protocols, StepStore steps, Transactions tx,
                   StateChanges changes, ProtocolDriver driver, Prompts prompts, EngineCalls engineCalls,
                   io.deksdenflow.orchestrator.ops.Meters meters, ProtocolFiles files) {
        this.files = files;
        this.scope = scope;
        this.workspace = workspace;
        this.protocols = protocols;
        this.steps = steps;
        this.tx = tx;
        this.changes = changes;
        this.driver = driver;
        this.prompts = prompts;
        this.engineCalls = engineCalls;
        this.meters = meters;
    }

    @Override
    public JobType type() {
        return JobType.RUN_QUALITY_JOB;
    }

    @Override
    public void handle(JobContext ctx) {
        scope.enter(ctx.job());
        StepRun step = steps.get(ctx.job().stepRunId());
        ProtocolRun run = protocols.get(step.protocolRunId());
        if (step.status() != StepStatus.NEEDS_QA || !StepTransitions.protocolAllowsStepWork(run.status())) {
            scope.skip(ctx.job(), "step is " + step.status().api() + " in a " + run.status().api() + " protocol");
            return;
        }
        Project project = scope.project(run.projectId());
        GitClient git = scope.git(project);
        Path worktree = Worktrees.ensure(git, workspace, project, run);
        GitClient.Commit last = git.lastCommit(worktree);
        Prompts.GitState state = new Prompts.GitState(git.statusPorcelain(worktree),
                last.sha() + " " + last.subject(), git.diffStat(worktree, run.baseBranch()));
        String prompt = prompts.qa(run, step, worktree, state);
        EngineCalls.Outcome out = engineCalls.run(new EngineCalls.Call(project, run, step, "qa", worktree, prompt,
                true, null, ctx.job().jobId()), ctx::onCancel);
        if (ctx.cancelled()) return;
        String report = out.result().text() == null ? "" : out.result().text();
        VerdictParser.QaVerdict verdict = VerdictParser.parse(report);
        meters.qaVerdict(verdict.verdict());
        files.writeFile(worktree, run.protocolName(), step.stem() + ".qa.md", report);
        git.commitAll(worktree, "docs(qa): " + verdict.verdict() + " for " + step.stem()
                + " [protocol-" + run.number() + "/" + step.number() + "]");
        scope.push(git, worktree, run);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("verdict", verdict.verdict());
        meta.put("reason", verdict.reason());
        meta.put("engine", out.engine());
        meta.put("model", out.model());
        meta.put("tokens", out.result().tokensTotal());
        meta.put("report_file", ProtocolFiles.relativeDir(run.protocolName()) + "/" + step.stem() + ".qa.md");
        meta.put("run_id", out.runId());
        String stored = report.length() > REPORT_MAX_CHARS ? report.substring(0, REPORT_MAX_CHARS) : report;
        tx.inTx(() -> {
            StepRun current = steps.get(step.id());
            ProtocolRun protocol = protocols.get(run.id());
            if (current.status() != StepStatus.NEEDS_QA || !StepTransitions.protocolAllowsStepWork(protocol.status())) {
                return null;
            }
            steps.setQa(step.id(), verdict.verdict(), stored);
            if (verdict.passed()) {
                changes.step(protocol, current, StepAction.QA_PASSED, "qa_passed", "QA passed for " + step.stepName(), null, meta);
                driver.afterStepCompleted(protocol);
            } else {
                meta.put("findings", verdict.summary());
                changes.step(protocol, current, StepAction.QA_FAILED, "qa_failed", "QA failed for " + step.stepName()
                        + ": " + verdict.reason(), verdict.reason(), meta);
                driver.block(protocol, "protocol_blocked", "QA failed for " + step.stepName(), Map.of("step_run_id", step.id()));
            }
            return null;
        });
    }
}
