package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.Parkable;
import io.deksdenflow.orchestrator.engine.EngineException;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.project.ProjectLifecycle;
import io.deksdenflow.orchestrator.ops.Meters;
import io.deksdenflow.orchestrator.protocol.BudgetLifecycle;
import io.deksdenflow.orchestrator.protocol.JobLifecycle;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobCancelledException;
import io.deksdenflow.orchestrator.worker.JobOutcomeListener;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What job outcomes mean for the domain: a retry or a usage-limit wait is an event; only the final
 * failure changes status, with one lifecycle call: a set-up job fails its project
 * ({@link ProjectLifecycle#setupFailed}); a strict budget blocks step and protocol once
 * ({@link BudgetLifecycle#budgetExceeded}); any other job fails its step and blocks its protocol
 * ({@link JobLifecycle#jobFailed}). A job stopped by pause/cancel changes nothing: the action
 * already did ({@code job_cancelled} only).
 */
@Component
class JobOutcomes implements JobOutcomeListener {
    private final Transactions tx;
    private final EventRecorder events;
    private final JobLifecycle protocols;
    private final BudgetLifecycle budgets;
    private final ProjectLifecycle projects;
    private final Meters meters;
    private final ConcurrentHashMap<String, Long> started = new ConcurrentHashMap<>();

    JobOutcomes(Transactions tx, EventRecorder events, JobLifecycle protocols, BudgetLifecycle budgets,
                ProjectLifecycle projects, Meters meters) {
        this.tx = tx;
        this.events = events;
        this.protocols = protocols;
        this.budgets = budgets;
        this.projects = projects;
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
        if (!protocolWork(job)) return;
        Map<String, Object> meta = meta(job, error);
        meta.put("retry_in_seconds", delay.toSeconds());
        tx.inTx(() -> events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "job_retry",
                job.type().api() + " attempt " + job.attempt() + " failed; retrying in " + delay.toSeconds() + " s", meta));
    }

    @Override
    public void onParked(Job job, Throwable error, java.time.Instant retryAt) {
        count(job, "rate_limited");
        if (!protocolWork(job)) return;
        Map<String, Object> meta = meta(job, error);
        String engine = error instanceof Parkable p ? p.source() : null;
        meta.put("engine", engine);
        meta.put("retry_at", retryAt.toString());
        if (error instanceof EngineException e) {
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
        if (!protocolWork(job)) return;
        Map<String, Object> meta = meta(job, error);
        if (error instanceof JobCancelledException) {
            protocols.jobCancelled(job, job.type().api() + " stopped: " + error.getMessage(), meta);
        } else if (job.type() == JobType.STATUS_COMMENT_JOB) {
            // a courtesy to the readers: its failure never blocks or fails the protocol
            tx.inTx(() -> events.record(job.projectId(), job.protocolRunId(), null, "status_comment_failed",
                    "the status comment could not be written: " + error.getMessage(), meta));
        } else if (job.type() == JobType.REVIEW_FIX_JOB) {
            // a review answer that failed for good leaves the protocol as it was; people see the event
            tx.inTx(() -> events.record(job.projectId(), job.protocolRunId(), null, "review_fix_failed",
                    "the review fix could not run: " + error.getMessage(), meta));
        } else if (job.type() == JobType.PROJECT_SETUP_JOB) {
            projects.setupFailed(job, error, meta);
        } else if (budgetExceeded(error) != null && job.protocolRunId() != null) {
            BudgetExceededException b = budgetExceeded(error);
            budgets.budgetExceeded(job, b.getMessage(), b.metadata(), meta);
        } else {
            protocols.jobFailed(job, error, meta);
        }
    }

    /**
     * Whether the job's outcome is the domain's: not for a job of no project, nor for a notify_job, whose outcome
     * is its delivery row alone (a failing notification channel never blocks a protocol).
     */
    private static boolean protocolWork(Job job) {
        return job.projectId() != null && job.type() != JobType.NOTIFY_JOB;
    }

    private static BudgetExceededException budgetExceeded(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BudgetExceededException b) return b;
        }
        return null;
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
            if (t instanceof EngineException e) {
                meta.put("error_class", e.errorClass().api());
                break;
            }
        }
        return meta;
    }
}
