package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.common.ConcurrentUpdateException;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.dispatch.ActionResult;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Component;

/**
 * Every change of a project. Each public method is one transaction: it re-reads the project,
 * applies {@link ProjectStatus#TABLE} as a compare-and-set, records the change's event
 * ({@code project_created}, {@code project_setup_requested}, {@code project_setup_started},
 * {@code project_ready}, {@code project_setup_failed}, {@code project_updated}) and enqueues the next job.
 */
@Component
public class ProjectLifecycle {
    private final Transactions tx;
    private final ProjectStore projects;
    private final EventRecorder events;
    private final JobEnqueuer jobs;

    public ProjectLifecycle(Transactions tx, ProjectStore projects, EventRecorder events, JobEnqueuer jobs) {
        this.tx = tx;
        this.projects = projects;
        this.events = events;
        this.jobs = jobs;
    }

    /** A new project ({@code project_created}) and its workspace set-up job. */
    public ActionResult<Project> created(ProjectStore.NewProject row) {
        return tx.inTx(() -> {
            Project p = projects.insert(row);
            events.record(p.id(), null, null, "project_created", "project registered",
                    Map.of("secret_keys", row.secrets().keySet(), "base_branch", row.baseBranch()));
            Job job = jobs.enqueue(JobType.PROJECT_SETUP_JOB, p.id(), null, null);
            return new ActionResult<>("project registered; workspace set-up enqueued", p, job);
        });
    }

    /**
     * Set-up requested again (after a failure, or to pick up a moved origin): {@code project_setup_requested}
     * and a set-up job; nothing while one is pending or running; 409 where the table allows no set-up.
     */
    public ActionResult<Project> setupRequested(long projectId) {
        return tx.inTx(() -> {
            Project p = projects.get(projectId);
            if (p.status() == ProjectStatus.SETTING_UP || p.status() == ProjectStatus.PENDING) {
                return new ActionResult<>("set-up already in progress", p, null);
            }
            p.status().next(ProjectStatus.Action.SETUP); // 409 when not allowed
            events.record(p.id(), null, null, "project_setup_requested", "workspace set-up requested", Map.of());
            Job job = jobs.enqueue(JobType.PROJECT_SETUP_JOB, p.id(), null, null);
            return new ActionResult<>("workspace set-up enqueued", p, job);
        });
    }

    /** The set-up job starts: project → setting_up ({@code project_setup_started}); unchanged when it already is (a retry). */
    public Project setupStarted(long projectId) {
        return tx.inTx(() -> {
            Project current = projects.get(projectId);
            if (current.status() == ProjectStatus.SETTING_UP) return current;
            return move(current, ProjectStatus.Action.SETUP, null, null, "project_setup_started",
                    "cloning " + current.gitUrl(), Map.of());
        });
    }

    /** The workspace is cloned and fetched at {@code localPath}: project → ready ({@code project_ready}). */
    public Project setupReady(long projectId, String localPath) {
        return tx.inTx(() -> {
            Project current = projects.get(projectId);
            // the path stays on the server: API clients and event consumers never see it
            return move(current, ProjectStatus.Action.SETUP_DONE, localPath, null, "project_ready", "workspace ready",
                    Map.of("base_branch", current.baseBranch()));
        });
    }

    /**
     * The set-up job failed for good: {@code job_failed} (after the untrusted-content event when that
     * was the cause), and a pending or setting-up project → failed ({@code project_setup_failed}).
     */
    public void setupFailed(Job job, Throwable error, Map<String, ?> meta) {
        UntrustedContentException untrusted = UntrustedContentException.in(error);
        tx.inTx(() -> {
            if (untrusted != null) {
                events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), untrusted.eventType(),
                        untrusted.getMessage(), meta);
            }
            events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "job_failed",
                    job.type().api() + " failed: " + error.getMessage(), meta);
            Project p = projects.get(job.projectId());
            if (ProjectStatus.TABLE.allows(p.status(), ProjectStatus.Action.SETUP_FAILED)) {
                move(p, ProjectStatus.Action.SETUP_FAILED, null, error.getMessage(), "project_setup_failed",
                        "workspace set-up failed: " + error.getMessage(), Map.of("job_id", job.jobId()));
            }
            return null;
        });
    }

    /**
     * Settings changed ({@code PATCH /projects/{id}}): {@code change} makes the new project from the
     * current one (re-read here); the row is written with a compare-and-set on its version and
     * {@code project_updated} names the changed fields (and secret keys, never a value). Nothing is
     * written or recorded when nothing changes.
     */
    public ActionResult<Project> updated(long projectId, UnaryOperator<Project> change) {
        return tx.inTx(() -> {
            Project current = projects.get(projectId);
            Project next = change.apply(current);
            List<String> fields = ProjectSettings.changed(current, next);
            if (fields.isEmpty()) return new ActionResult<>("nothing changed", current, null);
            // lost: Transactions re-runs this from a fresh read (the change applies to that one)
            if (!projects.update(current, next)) throw new ConcurrentUpdateException("project " + projectId);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("fields", fields);
            if (fields.contains("secrets")) meta.put("secret_keys", ProjectSettings.changedKeys(current.secrets(), next.secrets()));
            events.record(projectId, null, null, "project_updated", "project settings changed: " + String.join(", ", fields),
                    meta);
            return new ActionResult<>("project updated", projects.get(projectId), null);
        });
    }

    /** The one guard of every project status change: table, compare-and-set, event with from, to and action. */
    private Project move(Project p, ProjectStatus.Action action, String localPath, String lastError, String eventType,
                         String message, Map<String, ?> metadata) {
        ProjectStatus to = p.status().next(action);
        if (!projects.transition(p, to, localPath, lastError)) throw new ConcurrentUpdateException("project " + p.id());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("from", p.status().api());
        meta.put("to", to.api());
        meta.put("action", action.name().toLowerCase(java.util.Locale.ROOT));
        meta.putAll(metadata);
        events.record(p.id(), null, null, eventType, message, meta);
        return projects.get(p.id());
    }
}
