package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.common.ConcurrentUpdateException;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolDriver;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StateChanges;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepTransitions;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.worker.JobCancelledException;
import io.deksdenflow.orchestrator.worker.JobOutcomeListener;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What job outcomes mean for the domain: a retry is an event; only the final failure changes
 * status (project failed, or step failed and protocol blocked) with a {@code job_failed} event. A
 * job stopped by pause/cancel changes nothing: the action already did.
 */
@Component
class JobOutcomes implements JobOutcomeListener {
    private final Transactions tx;
    private final EventRecorder events;
    private final ProjectStore projects;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final StateChanges changes;
    private final ProtocolDriver driver;
    private final io.deksdenflow.orchestrator.ops.Meters meters;
    private final java.util.concurrent.ConcurrentHashMap<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();

    JobOutcomes(Transactions tx, EventRecorder events, ProjectStore projects, ProtocolStore protocols, StepStore steps,
                StateChanges changes, ProtocolDriver driver, io.deksdenflow.orchestrator.ops.Meters meters) {
        this.tx = tx;
        this.events = events;
        this.projects = projects;
        this.protocols = protocols;
        this.steps = steps;
        this.changes = changes;
        this.driver = driver;
        this.meters = meters;
    }

    @Override
    public void onStart(Job job) {
        started.put(job.jobId(), System.nanoTime());
    }

    private void count(Job job, String outcome) {
        Long t0 = started.remove(job.jobId());
        meters.jobProcessed(job.type().api(), outcome, t0 == null ? null : Duration.ofNanos(System.nanoTime() - t0));
    }

    @Override
    public void onSuccess(Job job) {
        count(job, "succeeded");
    }

    @Override
    public void onRetry(Job job, Throwable error, Duration delay) {
        count(job, "retried");
        if (job.projectId() == null) return;
        Map<String, Object> meta = meta(job, error);
        meta.put("retry_in_seconds", delay.toSeconds());
        tx.inTx(() -> events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "job_retry",
                job.type().api() + " attempt " + job.attempt() + " failed; retrying in " + delay.toSeconds() + " s", meta));
    }

    @Override
    public void onParked(Job job, Throwable error, java.time.Instant retryAt) {
        count(job, "rate_limited");
        if (job.projectId() == null) return;
        Map<String, Object> meta = meta(job, error);
        String engine = error instanceof io.deksdenflow.orchestrator.common.Parkable p ? p.source() : null;
        meta.put("engine", engine);
        meta.put("retry_at", retryAt.toString());
        if (error instanceof io.deksdenflow.orchestrator.engine.EngineException e) {
            meta.put("error_class", e.errorClass().api());
            meta.put("reset_at", e.resetAt() == null ? null : e.resetAt().toString());
        }
        tx.inTx(() -> events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "engine_rate_limited",
                engine + " hit a usage limit; " + job.type().api() + " waits until " + retryAt
                        + " (attempt " + job.attempt() + " not spent)", meta));
    }

    @Override
    public void onFinalFailure(Job job, Throwable error) {
        count(job, error instanceof JobCancelledException ? "cancelled" : "failed");
        if (job.projectId() == null) return;
        Map<String, Object> meta = meta(job, error);
        if (error instanceof JobCancelledException) {
            tx.inTx(() -> events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "job_cancelled",
                    job.type().api() + " stopped: " + error.getMessage(), meta));
            return;
        }
        String message = job.type().api() + " failed: " + error.getMessage();
        UntrustedContentException untrusted = UntrustedContentException.in(error);
        tx.inTx(() -> {
            if (untrusted != null) {
                events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), untrusted.eventType(),
                        untrusted.getMessage(), meta);
            }
            events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "job_failed", message, meta);
            if (job.type() == JobType.PROJECT_SETUP_JOB) {
                failProject(job.projectId(), error.getMessage());
            } else if (job.protocolRunId() != null && job.type() != JobType.OPEN_PR_JOB && job.type() != JobType.NOOP_JOB) {
                ProtocolRun p = protocols.get(job.protocolRunId());
                if (job.stepRunId() != null) {
                    StepRun s = steps.get(job.stepRunId());
                    if (StepTransitions.allows(s.status(), StepAction.FAIL)) {
                        changes.step(p, s, StepAction.FAIL, "step_failed", message, error.getMessage(), meta);
                    }
                }
                driver.block(p, "protocol_blocked", message, meta);
            } else if (job.protocolRunId() != null) {
                protocols.setLastError(job.protocolRunId(), message);
            }
            return null;
        });
    }

    private void failProject(long projectId, String error) {
        Project p = projects.get(projectId);
        ProjectStatus from = p.status();
        if (from == ProjectStatus.PENDING) {
            if (!projects.transition(p, ProjectStatus.SETTING_UP, null, null)) throw new ConcurrentUpdateException("project");
            p = projects.get(projectId);
        }
        if (p.status() == ProjectStatus.SETTING_UP) {
            ProjectStatus to = p.status().next(ProjectStatus.Action.SETUP_FAILED);
            if (!projects.transition(p, to, null, error)) throw new ConcurrentUpdateException("project");
        }
    }

    private static Map<String, Object> meta(Job job, Throwable error) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("job_id", job.jobId());
        meta.put("job_type", job.type().api());
        meta.put("attempt", job.attempt());
        meta.put("max_attempts", job.maxAttempts());
        meta.put("error", String.valueOf(error.getMessage()));
        meta.put("error_type", error.getClass().getSimpleName());
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.deksdenflow.orchestrator.engine.EngineException e) {
                meta.put("error_class", e.errorClass().api());
                break;
            }
        }
        return meta;
    }
}
