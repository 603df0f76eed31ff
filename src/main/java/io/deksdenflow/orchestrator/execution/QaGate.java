package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.ops.Meters;
import io.deksdenflow.orchestrator.project.Check;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.CheckResult;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.QaLifecycle;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.worker.JobContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The QA gate a step's work passes, whoever did it (the step's run, a review fix): the declared checks (the
 * protocol's, else the project's) in the worktree ({@link QaChecks}; results stored with the step and sent as
 * {@code qa_checks}), then a read-only QA engine run over the protocol files, the step file, the git state and the
 * checks' results. A failed check makes the verdict FAIL whatever the agent says ({@code verdict_source: checks}),
 * otherwise the agent's verdict decides ({@code agent}).
 */
@Component
class QaGate {
    private final QaLifecycle lifecycle;
    private final Prompts prompts;
    private final EngineCalls engineCalls;
    private final Meters meters;
    private final QaChecks checks;

    QaGate(QaLifecycle lifecycle, Prompts prompts, EngineCalls engineCalls, Meters meters, QaChecks checks) {
        this.lifecycle = lifecycle;
        this.prompts = prompts;
        this.engineCalls = engineCalls;
        this.meters = meters;
        this.checks = checks;
    }

    /** The gate's outcome: the verdict, who decided it, the report (agent text + footer) and the engine run. */
    record Result(VerdictParser.QaVerdict verdict, VerdictParser.QaVerdict agent, String source, String report,
                  List<String> failures, List<CheckResult> checks, EngineCalls.Outcome out) {
        /** The verdict's event metadata. */
        Map<String, Object> meta(StepRun step) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("verdict", verdict.verdict());
            meta.put("verdict_source", source);
            meta.put("agent_verdict", agent.verdict());
            meta.put("reason", verdict.reason());
            if (checks != null) meta.put("checks_failed", failures.size());
            meta.put("engine", out.engine());
            meta.put("model", out.model());
            meta.put("exec_engine", step.engine());
            meta.put("exec_model", step.model());
            meta.put("tokens", out.result().tokensTotal());
            meta.put("cost_usd", out.costUsd());
            meta.put("cost_source", out.costSource());
            meta.put("run_id", out.runId());
            return meta;
        }
    }

    /** Runs the gate on the worktree as it is; null when the job was cancelled meanwhile. */
    Result run(JobContext ctx, Project project, ProtocolRun run, StepRun step, GitClient git, Path worktree) {
        return run(ctx, project, run, step, git, worktree, false);
    }

    /** The same; {@code clean}: the worktree was just brought exactly to its HEAD, so git's status is known empty. */
    Result run(JobContext ctx, Project project, ProtocolRun run, StepRun step, GitClient git, Path worktree, boolean clean) {
        GitClient.Commit last = git.lastCommit(worktree);
        Prompts.GitState state = new Prompts.GitState(clean ? "" : git.statusPorcelain(worktree),
                last.sha() + " " + last.subject(), git.diffStat(worktree, run.baseBranch()));
        List<CheckResult> results = runChecks(ctx, project, run, step, worktree);
        if (ctx.cancelled()) return null;
        String prompt = prompts.qa(run, step, worktree, state, results);
        EngineCalls.Outcome out = engineCalls.run(new EngineCalls.Call(project, run, step, "qa", worktree, prompt,
                true, null, ctx.job().jobId()), ctx::onCancel);
        if (ctx.cancelled()) return null;
        VerdictParser.QaVerdict agent = VerdictParser.parse(out.result().text() == null ? "" : out.result().text());
        List<String> failures = results == null ? List.of()
                : results.stream().filter(r -> !r.passed()).map(CheckResult::failure).toList();
        String source = failures.isEmpty() ? "agent" : "checks";
        VerdictParser.QaVerdict verdict = failures.isEmpty() ? agent
                : new VerdictParser.QaVerdict(false, String.join("; ", failures), agent.summary());
        String report = (out.result().text() == null ? "" : out.result().text()) + footer(results, verdict, source);
        meters.qaVerdict(verdict.verdict());
        return new Result(verdict, agent, source, report, failures, results, out);
    }

    /**
     * The declared checks alone, without the QA agent (a conflict's resolution): the failures, empty when every check
     * passed or none is declared; null when the job was cancelled meanwhile.
     */
    List<String> checkFailures(JobContext ctx, Project project, ProtocolRun run, StepRun step, Path worktree) {
        List<CheckResult> results = runChecks(ctx, project, run, step, worktree);
        if (ctx.cancelled()) return null;
        return results == null ? List.of() : results.stream().filter(r -> !r.passed()).map(CheckResult::failure).toList();
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

}
