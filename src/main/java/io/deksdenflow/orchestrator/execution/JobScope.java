package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.git.GitClients;
import io.deksdenflow.orchestrator.git.OriginSync;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.protocol.JobLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepLifecycle;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.ProtocolLeases;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * What the job handlers share: the preconditions (read the rows a job names, check their status, else skip with
 * the reason recorded as {@code job_skipped}), a git client and the push.
 */
@Component
class JobScope {
    /** A step job's target: the step and its protocol run, as read by the precondition. */
    record StepWork(ProtocolRun run, StepRun step) {}

    private final ProjectStore projects;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final GitClients gitClients;
    private final StepLifecycle stepLifecycle;
    private final JobLifecycle jobLifecycle;
    private final Workspace workspace;
    private final ProtocolLeases leases;

    JobScope(ProjectStore projects, ProtocolStore protocols, StepStore steps, GitClients gitClients,
             StepLifecycle stepLifecycle, JobLifecycle jobLifecycle, Workspace workspace, ProtocolLeases leases) {
        this.workspace = workspace;
        this.leases = leases;
        this.projects = projects;
        this.protocols = protocols;
        this.steps = steps;
        this.gitClients = gitClients;
        this.stepLifecycle = stepLifecycle;
        this.jobLifecycle = jobLifecycle;
    }

    /** The job's protocol run when {@code needed} holds for it; else a skip for the reason {@code otherwise} gives. */
    Precondition<ProtocolRun> protocol(Job job, Predicate<ProtocolRun> needed, Function<ProtocolRun, String> otherwise) {
        ProtocolRun run = protocols.get(job.protocolRunId());
        return needed.test(run) ? Precondition.ready(run) : skip(job, otherwise.apply(run));
    }

    /** The job's step and its protocol run when {@code needed} holds for them; else a skip for {@code otherwise}'s reason. */
    Precondition<StepWork> step(Job job, BiPredicate<ProtocolRun, StepRun> needed,
                                BiFunction<ProtocolRun, StepRun, String> otherwise) {
        StepRun step = steps.get(job.stepRunId());
        ProtocolRun run = protocols.get(step.protocolRunId());
        return needed.test(run, step) ? Precondition.ready(new StepWork(run, step)) : skip(job, otherwise.apply(run, step));
    }

    /** The job found its target no longer in the state it needs: recorded ({@code job_skipped}), nothing else done. */
    <T> Precondition<T> skip(Job job, String reason) {
        return Precondition.skip(reason, () -> jobLifecycle.jobSkipped(job, reason));
    }

    GitClient git(Project project) {
        return gitClients.forProject(project.gitUrl(), project.secrets());
    }

    /**
     * Pushes the worktree's HEAD to the protocol's branch and remembers it as the branch's head: CI
     * results for older commits are superseded from then on.
     *
     * <p>A worker with its own disk pushes only while it holds the protocol's lease (checked right before) and only
     * over the head its job started from ({@code --force-with-lease}): a worker that lost its lease or raced
     * another fails the attempt (retried) and records nothing.
     *
     * @return the pushed commit
     */
    String push(GitClient git, Path worktree, ProtocolRun run) {
        return push(git, worktree, run, null);
    }

    /**
     * The same; {@code lease} (a rebased branch: its history was rewritten) is origin's head the push replaces: a
     * force push only while origin's branch is still there ({@code --force-with-lease}); null: a plain push. A worker
     * with its own disk always pushes with a lease on the head its job started from (for a rebase, the same head:
     * the sync starts from origin's head).
     */
    String push(GitClient git, Path worktree, ProtocolRun run, String lease) {
        return push(git, worktree, run, lease, git.headSha(worktree));
    }

    /** The same, for a worktree whose HEAD is known to be {@code sha} (the commit the job just made). */
    String push(GitClient git, Path worktree, ProtocolRun run, String lease, String sha) {
        pushOnly(git, worktree, run, lease, sha);
        stepLifecycle.pushed(run.id(), sha);
        return sha;
    }

    /**
     * The push of a job whose outcome records the branch head in its own transaction ({@code stepExecuted},
     * {@code qaVerdict} with the pushed commit): the same push, without a transaction of its own.
     */
    void pushForOutcome(GitClient git, Path worktree, ProtocolRun run, String sha) {
        pushOnly(git, worktree, run, null, sha);
    }

    private void pushOnly(GitClient git, Path worktree, ProtocolRun run, String lease, String sha) {
        ReentrantLock lock = workspace.repoLock(run.projectId());
        lock.lock();
        try {
            leases.verify(run.id());
            if (workspace.perWorker()) {
                Checkouts.Checkout start = workspace.checkouts().get(worktree).orElseThrow(() -> new IllegalStateException(
                        "no origin head recorded for " + worktree.getFileName() + ": the worktree was not prepared for this job"));
                OriginSync.pushLeased(git, worktree, run.protocolName(), start.originHead());
                workspace.checkouts().pushed(worktree, sha);
            } else if (lease == null) {
                git.push(worktree, run.protocolName());
            } else {
                OriginSync.pushLeased(git, worktree, run.protocolName(), lease);
            }
        } finally {
            lock.unlock();
        }
    }

    Project project(long id) {
        return projects.get(id);
    }
}
