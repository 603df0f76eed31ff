package io.deksdenflow.orchestrator.tracker;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.NotBefore;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.events.EventStore;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.Forge.CommentOn;
import io.deksdenflow.orchestrator.forge.ForgeException;
import io.deksdenflow.orchestrator.forge.ForgeRepo;
import io.deksdenflow.orchestrator.forge.Forges;
import io.deksdenflow.orchestrator.notify.NotifySettings;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.protocol.CiLoopStore;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.springframework.stereotype.Component;

/**
 * status_comment_job: writes the protocol's status comment on its issue and, once it has one, on its PR/MR —
 * edited in place when the comment is known (its id in {@code status_comments}, else found by its hidden marker),
 * posted otherwise; a comment someone deleted is posted again. Inside the debounce window it waits
 * ({@link NotBefore}); a forge rate limit waits for its reset. A forge that keeps failing gives up after
 * {@value #ATTEMPTS} attempts with a {@code status_comment_failed} event: the comment is a courtesy, so it never
 * blocks or fails the protocol.
 */
@Component
class StatusCommentHandler implements JobHandler<ProtocolRun> {
    static final int ATTEMPTS = 4;
    private static final Set<String> CI_EVENTS = Set.of("ci_passed", "ci_failed", "ci_running", "ci_cancelled",
            "ci_action_required", "ci_skipped", "ci_fix_started", "ci_fix_pushed", "ci_fix_failed", "ci_fix_exhausted",
            "ci_rerun_requested", "ci_triage_queued");

    private final ProtocolStore protocols;
    private final StepStore steps;
    private final ProjectStore projects;
    private final CiLoopStore ciLoop;
    private final EventStore eventStore;
    private final EventRecorder events;
    private final Forges forges;
    private final StatusCommentStore store;
    private final JobEnqueuer enqueuer;
    private final Transactions tx;
    private final TrackerSettings settings;
    private final NotifySettings notifySettings;

    StatusCommentHandler(ProtocolStore protocols, StepStore steps, ProjectStore projects, CiLoopStore ciLoop,
                         EventStore eventStore, EventRecorder events, Forges forges, StatusCommentStore store,
                         JobEnqueuer enqueuer, Transactions tx, TrackerSettings settings, NotifySettings notifySettings) {
        this.notifySettings = notifySettings;
        this.protocols = protocols;
        this.steps = steps;
        this.projects = projects;
        this.ciLoop = ciLoop;
        this.eventStore = eventStore;
        this.events = events;
        this.forges = forges;
        this.store = store;
        this.enqueuer = enqueuer;
        this.tx = tx;
        this.settings = settings;
    }

    @Override
    public JobType type() {
        return JobType.STATUS_COMMENT_JOB;
    }

    @Override
    public Precondition<ProtocolRun> precondition(Job job) {
        Optional<ProtocolRun> run = job.protocolRunId() == null ? Optional.empty() : protocols.find(job.protocolRunId());
        if (run.isEmpty() || run.get().issueNumber() == null) {
            return Precondition.skip("no protocol taken in from an issue", () -> {});
        }
        return Precondition.ready(run.get());
    }

    @Override
    public RetryPolicy retryPolicy(RetryPolicy defaults) {
        return defaults.withAttempts(ATTEMPTS);
    }

    @Override
    public void handle(JobContext ctx, ProtocolRun run) {
        StatusCommentStore.State state = store.find(run.id()).orElse(null);
        if (state == null) return;
        long now = Clock.now();
        long next = state.postedAt() == null ? now : state.postedAt() + settings.statusCommentMinSeconds() * 1000L;
        if (next > now) {
            store.touch(run.id(), now);
            throw new NotBefore(Instant.ofEpochMilli(next), "the status comment was written less than "
                    + settings.statusCommentMinSeconds() + " s ago (DEKSDENFLOW_STATUS_COMMENT_MIN_SECONDS)");
        }
        long seq = state.wantedSeq();
        Project project = projects.get(run.projectId());
        Optional<Forge> forge = project.ciProvider() == null ? Optional.empty() : forges.find(project.ciProvider());
        if (forge.isEmpty()) {
            finish(run, seq, 0, "project " + project.name() + " has no ci_provider: no status comment");
            return;
        }
        ForgeRepo repo = new ForgeRepo(project.name(), project.gitUrl(), project.secrets());
        Optional<Long> change = ciLoop.prNumber(run.id());
        String body = StatusCommentText.render(run, steps.allOf(run.id()), extras(run, forge.get()));
        int writes = 0;
        try {
            writes += write(forge.get(), repo, CommentOn.ISSUE, run.issueNumber(), state.issueCommentId(), run.id(), body,
                    id -> store.setIssueComment(run.id(), id));
            if (change.isPresent()) {
                long number = change.get();
                Long known = Long.valueOf(number).equals(state.changeNumber()) ? state.changeCommentId() : null;
                writes += write(forge.get(), repo, CommentOn.CHANGE_REQUEST, number, known, run.id(), body,
                        id -> store.setChangeComment(run.id(), number, id));
            }
        } catch (ForgeException e) {
            if (e.retryAt() != null) {
                store.touch(run.id(), now);
                throw new NotBefore(e.retryAt(), e.getMessage());
            }
            boolean last = e.status() == ForgeException.MISCONFIGURED || (e.status() >= 400 && e.status() < 500 && e.status() != 429)
                    || ctx.job().attempt() >= ATTEMPTS;
            if (!last) throw new IllegalStateException(e.getMessage(), e);
            events.record(run.projectId(), run.id(), null, "status_comment_failed",
                    "the status comment could not be written: " + e.getMessage(),
                    Map.of("error", String.valueOf(e.getMessage()), "status", e.status(), "attempt", ctx.job().attempt()));
            finish(run, seq, writes, e.getMessage());
            return;
        }
        finish(run, seq, writes, null);
    }

    /** Edits the known (or found) comment, else posts one; a comment deleted meanwhile is posted again. */
    private static int write(Forge forge, ForgeRepo repo, CommentOn on, long number, Long known, long runId, String body,
                             LongConsumer remember) throws ForgeException {
        Long id = known;
        if (id == null) {
            id = forge.findComment(repo, on, number, StatusCommentText.marker(runId)).orElse(null);
            if (id != null) remember.accept(id);
        }
        if (id != null) {
            try {
                forge.editComment(repo, on, number, id, body);
                return 1;
            } catch (ForgeException e) {
                if (e.status() != 404) throw e;
            }
        }
        remember.accept(forge.postComment(repo, on, number, body));
        return 1;
    }

    /** Records what was shown and queues the next job when events came in meanwhile. */
    private void finish(ProtocolRun run, long seq, int writes, String error) {
        long now = Clock.now();
        store.posted(run.id(), seq, now, writes, error);
        tx.inTx(() -> {
            if (store.release(run.id(), seq, now)) enqueuer.enqueue(JobType.STATUS_COMMENT_JOB, run.projectId(), run.id(), null);
            return null;
        });
    }

    private StatusCommentText.Extras extras(ProtocolRun run, Forge forge) {
        String ci = null;
        for (Event e : eventStore.byProtocol(run.id(), null, 200).items()) {
            if (CI_EVENTS.contains(e.eventType())) {
                ci = e.eventType().substring(3).replace('_', ' ') + " — " + e.message();
                break;
            }
        }
        String console = notifySettings.publicUrl().isEmpty() ? null
                : notifySettings.publicUrl() + "/console/#/projects/" + run.projectId() + "/protocols/" + run.id();
        String waiting = run.waitingFor().isEmpty() || run.status() != ProtocolStatus.PENDING ? null
                : String.join(", ", run.waitingFor().stream().map(n -> "#" + n).toList());
        return new StatusCommentText.Extras(ci, console, run.prUrl(), forge.changeRequestShort(), waiting);
    }
}
