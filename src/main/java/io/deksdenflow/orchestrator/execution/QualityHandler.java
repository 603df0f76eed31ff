package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.ops.Meters;
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
import io.deksdenflow.orchestrator.project.Check;
import io.deksdenflow.orchestrator.protocol.CheckResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * run_quality_job: first the declared checks (the protocol's, else the project's) run in the worktree
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
    private final Prompts prompts;
    private final EngineCalls engineCalls;
    private final Meters meters;
    private final ProtocolFiles files;
    private final QaChecks checks;

    QualityHandler(JobScope scope, Workspace workspace,
                   QaLifecycle lifecycle, Prompts prompts, EngineCalls engineCalls,
                   Meters meters, ProtocolFiles files, QaChecks checks) {
        this.files = files;
        this.checks = checks;
        this.scope = scope;
        this.workspace = workspace;
        this.lifecycle = lifecycle;
        this.prompts = prompts;
        this.engineCalls = engineCalls;
        this.meters = meters;
    }

    /**
     * The declared checks, after the budget check a call would get (a check counts like a call);
     * null when none are declared. Results are stored with the step and sent as {@code qa_checks}.
     */
    private List<CheckResult> runChecks(JobContext ctx, Project project, ProtocolRun run, StepRun step, Path worktree) {
        List<Check> declared = QaChecks.declared(project, run);
        if (declared == null || declared.isEmpty()) return null;
        engineCalls.checkBudget(new EngineCalls.Call(project, run, step, "qa", worktree, "", true, null,
                ctx.job().jobId()), engineCalls.modelFor(project, "qa"));
        List<CheckResult> results = checks.run(project, run, step, worktree, declared, ctx.job().jobId(), ctx::onCancel,
                ctx::cancelled);
        if (ctx.cancelled()) return results;
        List<Map<String, Object>> views = results.stream().map(CheckResult::view).toList();
        long failed = results.stream().filter(r -> !r.passed()).count();
        results.forEach(r -> meters.qaCheck(r.passed()));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("checks", views);
        meta.put("passed", failed == 0);
        meta.put("failed", failed);
        lifecycle.qaChecks(step.id(), results, meta);
        return results;
    }

    /** What the report records besides the agent's text: the checks and who decided the verdict. */
    static String footer(List<CheckResult> results, VerdictParser.QaVerdict verdict, String source) {
        StringBuilder sb = new StringBuilder("\n\n---\n");
        if (results != null) {
            sb.append("## Checks\n");
            for (CheckResult r : results) {
                sb.append("- ").append(r.name()).append(": ").append(r.passed() ? "passed" : r.failure())
                        .append(" (").append(r.durationMs()).append(" ms)\n");
            }
        }
        sb.append("verdict_source: ").append(source).append("\n");
        sb.append("Final verdict: ").append(verdict.verdict());
        if (!verdict.passed() && verdict.reason() != null) sb.append(" (").append(verdict.reason()).append(")");
        return sb.append("\n").toString();
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
        Project project = scope.project(run.projectId());
        GitClient git = scope.git(project);
        Path worktree = Worktrees.ensure(git, workspace, project, run);
        GitClient.Commit last = git.lastCommit(worktree);
        Prompts.GitState state = new Prompts.GitState(git.statusPorcelain(worktree),
                last.sha() + " " + last.subject(), git.diffStat(worktree, run.baseBranch()));
        List<CheckResult> results = runChecks(ctx, project, run, step, worktree);
        if (ctx.cancelled()) return;
        String prompt = prompts.qa(run, step, worktree, state, results);
        EngineCalls.Outcome out = engineCalls.run(new EngineCalls.Call(project, run, step, "qa", worktree, prompt,
                true, null, ctx.job().jobId()), ctx::onCancel);
        if (ctx.cancelled()) return;
        VerdictParser.QaVerdict agent = VerdictParser.parse(out.result().text() == null ? "" : out.result().text());
        List<String> failures = results == null ? List.of()
                : results.stream().filter(r -> !r.passed()).map(CheckResult::failure).toList();
        String source = failures.isEmpty() ? "agent" : "checks";
        VerdictParser.QaVerdict verdict = failures.isEmpty() ? agent
                : new VerdictParser.QaVerdict(false, String.join("; ", failures), agent.summary());
        String report = (out.result().text() == null ? "" : out.result().text()) + footer(results, verdict, source);
        meters.qaVerdict(verdict.verdict());
        files.writeFile(worktree, run.protocolName(), step.stem() + ".qa.md", report);
        git.commitAll(worktree, "docs(qa): " + verdict.verdict() + " for " + step.stem()
                + " [protocol-" + run.number() + "/" + step.number() + "]");
        scope.push(git, worktree, run);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("verdict", verdict.verdict());
        meta.put("verdict_source", source);
        meta.put("agent_verdict", agent.verdict());
        meta.put("reason", verdict.reason());
        if (results != null) meta.put("checks_failed", failures.size());
        meta.put("engine", out.engine());
        meta.put("model", out.model());
        meta.put("exec_engine", step.engine());
        meta.put("exec_model", step.model());
        meta.put("tokens", out.result().tokensTotal());
        meta.put("cost_usd", out.costUsd());
        meta.put("cost_source", out.costSource());
        meta.put("report_file", ProtocolFiles.relativeDir(run.protocolName()) + "/" + step.stem() + ".qa.md");
        meta.put("run_id", out.runId());
        String stored = report.length() > REPORT_MAX_CHARS ? report.substring(0, REPORT_MAX_CHARS) : report;
        lifecycle.qaVerdict(step.id(), new QaLifecycle.QaVerdict(verdict.passed(), verdict.verdict(), source,
                verdict.reason(), verdict.summary(), failures, stored), meta);
    }
}
