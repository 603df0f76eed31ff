package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.protocol.StepType;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.PlanApproval;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.PlanningLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import io.deksdenflow.orchestrator.queue.Job;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * plan_protocol_job: worktree on the protocol's branch; import an existing plan, or ask the
 * planning engine (read-only, JSON Schema) and validate its answer strictly before writing
 * anything; create the step runs, commit, push; protocol → planned.
 */
@Component
class PlanProtocolHandler implements JobHandler<ProtocolRun> {
    private final JobScope scope;
    private final Workspace workspace;
    private final PlanningLifecycle lifecycle;
    private final ProtocolFiles files;
    private final Prompts prompts;
    private final PlanValidator validator;
    private final EngineCalls engineCalls;

    PlanProtocolHandler(JobScope scope, Workspace workspace, PlanningLifecycle lifecycle,
                        ProtocolFiles files, Prompts prompts, PlanValidator validator, EngineCalls engineCalls) {
        this.scope = scope;
        this.workspace = workspace;
        this.lifecycle = lifecycle;
        this.files = files;
        this.prompts = prompts;
        this.validator = validator;
        this.engineCalls = engineCalls;
    }

    @Override
    public JobType type() {
        return JobType.PLAN_PROTOCOL_JOB;
    }

    /** The protocol is planning. */
    @Override
    public Precondition<ProtocolRun> precondition(Job job) {
        return scope.protocol(job, run -> run.status() == ProtocolStatus.PLANNING,
                run -> "protocol is " + run.status().api() + ", not planning");
    }

    @Override
    public RetryPolicy retryPolicy(RetryPolicy defaults) {
        return JobRetries.agentRun(defaults);
    }

    @Override
    public void handle(JobContext ctx, ProtocolRun run) {
        Project project = scope.project(run.projectId());
        GitClient git = scope.git(project);
        Path worktree = Worktrees.ensure(git, workspace, project, run);
        lifecycle.worktreeReady(run.id(), worktree.toString());

        Map<String, Object> meta = new LinkedHashMap<>();
        List<Step> planned;
        boolean replan = run.planFeedback() != null;
        String previousPlan = null;
        if (replan) {
            // reject_plan: plan afresh with the feedback; the rejected plan's step files go
            previousPlan = files.readFile(worktree, run.protocolName(), ProtocolFiles.PLAN);
            files.removeStepFiles(worktree, run.protocolName());
            meta.put("feedback", run.planFeedback());
            meta.put("previous_plan_md", cut(previousPlan));
        }
        if (!replan && files.hasPlan(worktree, run.protocolName())) {
            ProtocolFiles.ImportedPlan imported = files.read(worktree, run.protocolName());
            planned = imported.steps().stream().map(s -> new Step(s.index(), s.fileName(), s.type())).toList();
            meta.put("imported", true);
        } else {
            String prompt = prompts.planning(run, worktree, previousPlan);
            Path schema = validator.writeSchema(workspace.projectDir(project.id()).resolve("schemas"));
            EngineCalls.Outcome out = engineCalls.run(new EngineCalls.Call(project, run, null, "planning", worktree,
                    prompt, true, schema, ctx.job().jobId()), ctx::onCancel);
            PlanningAnswer answer;
            try {
                answer = validator.validate(out.result().text());
            } catch (ValidationException e) {
                lifecycle.planInvalid(run.id(), e.getMessage(),
                        Map.of("field", String.valueOf(e.field()), "engine", out.engine()));
                return;
            }
            if (ctx.cancelled()) return;
            files.write(worktree, run.protocolName(), answer);
            planned = answer.stepFiles().stream().map(f -> f.filename()).sorted()
                    .map(name -> new Step(0, name, StepType.fromFileName(name)))
                    .toList();
            meta.put("imported", false);
            meta.put("engine", out.engine());
            meta.put("model", out.model());
            meta.put("tokens", out.result().tokensTotal());
            meta.put("tokens_estimated", !out.result().usageReported());
            meta.put("cost_usd", out.costUsd());
            meta.put("cost_source", out.costSource());
            meta.put("prompt_template_hash", prompts.templateHash("planning"));
            AgentQuestions.find(answer.planMd()).ifPresent(q -> meta.put("question", q));
        }
        boolean approval = PlanApproval.required(run.planApproval(), project.planApproval()) || meta.containsKey("question");
        if (approval) meta.put("plan_md", cut(files.readFile(worktree, run.protocolName(), ProtocolFiles.PLAN)));
        String commitMessage = "chore(protocol): plan " + run.protocolName() + " [protocol-" + run.number() + "/00]";
        git.commitAll(worktree, commitMessage);
        String sha = scope.push(git, worktree, run);
        meta.put("step_count", planned.size());
        meta.put("commit", sha);
        lifecycle.planned(run.id(), planned.stream()
                .map(st -> new PlanningLifecycle.PlannedStep(st.name(), st.type())).toList(), meta, approval);
    }

    /** plan.md as shown to the person who approves it (events keep at most {@value #PLAN_EVENT_CHARS} characters). */
    private static String cut(String text) {
        if (text == null) return null;
        return text.length() <= PLAN_EVENT_CHARS ? text : text.substring(0, PLAN_EVENT_CHARS) + "\n…(truncated)";
    }

    static final int PLAN_EVENT_CHARS = 20_000;

    private record Step(int index, String name, StepType type) {}
}
