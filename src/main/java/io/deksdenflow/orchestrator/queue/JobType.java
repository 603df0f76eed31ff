package io.deksdenflow.orchestrator.queue;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The kinds of work the workers do; the API names are the seed's job names. */
public enum JobType {
    PROJECT_SETUP_JOB, PLAN_PROTOCOL_JOB, EXECUTE_STEP_JOB, RUN_QUALITY_JOB, OPEN_PR_JOB,
    /** fetch a CI failure's jobs, steps and log excerpts from the forge; then fix, re-run or block */
    CI_TRIAGE_JOB,
    /** the step's exec engine fixes a CI failure in the worktree; the service commits and pushes */
    CI_FIX_JOB,
    /** send one notification (notify_deliveries row) to one channel: webhook, Slack or e-mail */
    NOTIFY_JOB,
    /** write (post or edit) the status comment of a protocol taken in from an issue, on the issue and its PR/MR */
    STATUS_COMMENT_JOB,
    /** answer a PR/MR review: the step's exec engine fixes what reviewers asked, the QA gate checks it, pushed */
    REVIEW_FIX_JOB,
    /** bring a protocol's branch up to date with its base branch (merge or rebase per project), pushed with a lease */
    SYNC_BASE_JOB,
    /** the exec engine resolves the conflict markers a base update left; the service commits, checks and pushes */
    CONFLICT_FIX_JOB,
    /** a job that does nothing: queue tests and the queue benchmark */
    NOOP_JOB;

    /**
     * Whether the job works in the protocol's worktree (and may push its branch): at most one such job per
     * protocol runs at a time across all workers, under the protocol's lease.
     */
    public boolean touchesWorktree() {
        return switch (this) {
            case PLAN_PROTOCOL_JOB, EXECUTE_STEP_JOB, RUN_QUALITY_JOB, OPEN_PR_JOB, CI_FIX_JOB, REVIEW_FIX_JOB,
                    SYNC_BASE_JOB, CONFLICT_FIX_JOB -> true;
            default -> false;
        };
    }

    @JsonValue
    public String api() { return name().toLowerCase(Locale.ROOT); }

    public static JobType parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
}
