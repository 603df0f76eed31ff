package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.QuestionLifecycle;
import io.deksdenflow.orchestrator.protocol.StepLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.engine.EngineException;
import io.deksdenflow.orchestrator.engine.ErrorClassifier;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * execute_step_job: the exec engine works in the protocol's worktree with write access; the
 * service commits what it changed with the step's conventional message ({@link StepCommits}) and
 * pushes; step → needs_qa, and QA is enqueued when DEKSDENFLOW_AUTO_QA_AFTER_EXEC is on.
 *
 * <p>Exactly once: the first attempt records the commit it starts from. A later attempt of the same
 * job (a worker that died, a lease taken over) first looks for the step's tagged commit after that
 * start commit: when the earlier attempt got that far, it adopts the commit instead of running the
 * agent again; otherwise it resets the worktree to the start commit and runs the agent afresh.
 *
 * <p>An agent that asks a question ({@link AgentQuestions}) instead of finishing the step leaves no
 * work: the worktree goes back to the start commit and the step waits for the answer
 * ({@link QuestionLifecycle#asked}); the answer's run starts again from there.
 *
 * <p>A run that changed nothing and reported a failed tool call did not execute the step: it fails
 * with the agent's error, retried or not by that error's class.
 */
@Component
class ExecuteStepHandler implements JobHandler<JobScope.StepWork> {
    private final JobScope scope;
    private final Workspace workspace;
    private final StepStore steps;
    private final StepLifecycle lifecycle;
    private final Prompts prompts;
    private final EngineCalls engineCalls;
    private final ProtocolFiles files;
    private final QuestionLifecycle questions;

    ExecuteStepHandler(JobScope scope, Workspace workspace, StepStore steps, StepLifecycle lifecycle, Prompts prompts,
                       EngineCalls engineCalls, ProtocolFiles files, QuestionLifecycle questions) {
        this.files = files;
        this.questions = questions;
        this.scope = scope;
        this.workspace = workspace;
        this.steps = steps;
        this.lifecycle = lifecycle;
        this.prompts = prompts;
        this.engineCalls = engineCalls;
    }

    @Override
    public JobType type() {
        return JobType.EXECUTE_STEP_JOB;
    }

    /** The protocol and the step are running. */
    @Override
    public Precondition<JobScope.StepWork> precondition(Job job) {
        return scope.step(job, (run, step) -> run.status() == ProtocolStatus.RUNNING && step.status() == StepStatus.RUNNING,
                (run, step) -> "protocol is " + run.status().api() + " and step is " + step.status().api());
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
        String tag = StepCommits.tag(run, step);
        String jobId = ctx.job().jobId();
        Optional<StepStore.ExecStart> earlier = steps.execStart(step.id()).filter(e -> e.jobId().equals(jobId));
        Map<String, Object> meta = new LinkedHashMap<>();
        // how the worktree was had: built here from origin ("cold") or already on this disk ("warm"), and how long
        workspace.checkouts().get(worktree).ifPresent(c -> {
            meta.put("worktree", c.cold() ? "cold" : "warm");
            meta.put("worktree_ms", c.prepareMs());
        });
        if (earlier.isPresent()) {
            String start = earlier.get().commit();
            Optional<String> done = git.findCommitSince(worktree, start, "HEAD", tag)
                    .or(() -> git.findCommitSince(worktree, start, "origin/" + run.protocolName(), tag));
            if (done.isPresent()) {
                // the earlier attempt committed the step's work: take it, do not run the agent again
                if (!git.headSha(worktree).equals(done.get())) git.resetHard(worktree, done.get());
                scope.push(git, worktree, run);
                timings.mark("commit_push");
                timings.into(meta, git);
                meta.put("adopted", true);
                meta.put("commit", done.get());
                lifecycle.stepExecuted(step.id(), done.get(), meta);
                return;
            }
            git.resetHard(worktree, start);
        } else {
            // the head the worktree was just brought to (a worker with its own disk), else git's answer
            String head = workspace.checkouts().get(worktree).map(Checkouts.Checkout::head).orElse(null);
            lifecycle.execStarting(step.id(), jobId, head != null ? head : git.headSha(worktree));
        }
        String start = steps.execStart(step.id()).map(StepStore.ExecStart::commit).orElseThrow();
        String prompt = prompts.exec(run, step, worktree);
        timings.mark("before_agent");
        EngineCalls.Outcome out = engineCalls.run(new EngineCalls.Call(project, run, step, "exec", worktree, prompt,
                false, null, jobId), ctx::onCancel);
        timings.mark("engine_call");
        if (ctx.cancelled()) return;
        Optional<String> question = AgentQuestions.find(out.result().text());
        if (question.isPresent()) {
            // the agent asked instead of guessing: its work is discarded, and the run after the answer starts
            // from the same commit (the step's start commit: exactly once, as a retry)
            git.resetHard(worktree, start);
            meta.put("engine", out.engine());
            meta.put("run_id", out.runId());
            meta.put("job_id", jobId);
            questions.asked(step.id(), question.get(), meta);
            return;
        }
        // what the agent left is committed in one go (nothing staged: no commit); "changed" is a commit made now or
        // one the agent made itself (without a sandbox)
        GitClient.Committed committed = git.commit(worktree,
                StepCommits.message(run, step, files.readFile(worktree, run.protocolName(), step.stepName())));
        String sha = committed.sha().orElseGet(() -> git.headSha(worktree));
        if (sha.equals(start) && out.result().toolFailure() != null) {
            String detail = "the agent changed nothing and a tool call failed: " + out.result().toolFailure();
            throw engineCalls.failed(out, EngineException.of(out.engine(), 0, false, detail, "",
                    ErrorClassifier.classify(null, detail)));
        }
        timings.mark("commit");
        scope.pushForOutcome(git, worktree, run, sha); // stepExecuted records the head
        if (committed.exact()) workspace.checkouts().settled(worktree, sha);
        timings.mark("push");
        timings.into(meta, git);
        meta.put("engine", out.engine());
        meta.put("model", out.model());
        meta.put("tokens", out.result().tokensTotal());
        meta.put("tokens_estimated", !out.result().usageReported());
        meta.put("duration_ms", out.result().duration() == null ? null : out.result().duration().toMillis());
        meta.put("exit_code", out.result().exitCode());
        meta.put("commit", sha);
        meta.put("run_id", out.runId());
        if (out.costUsd() != null) meta.put("cost_usd", out.costUsd());
        meta.put("cost_source", out.costSource());
        lifecycle.stepExecuted(step.id(), sha, meta);
    }
}
