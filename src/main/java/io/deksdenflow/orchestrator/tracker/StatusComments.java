package io.deksdenflow.orchestrator.tracker;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.events.EventTrigger;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.queue.JobType;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the status comment of every protocol taken in from an issue current: each of the protocol's events
 * (inside the transaction that records it, under a savepoint, so the request commits with the event or not at all
 * and never fails it) counts one more thing to show and, when no {@code status_comment_job} is on its way, queues
 * one. The job writes the comment no more often than
 * DEKSDENFLOW_STATUS_COMMENT_MIN_SECONDS and queues its successor when events came in while it wrote, so the last
 * event is always shown. The status comment's own events and its job's retries are not counted (no loop).
 */
@Component
public class StatusComments implements EventTrigger {
    /** A job claimed this long ago and not done is taken for lost (a dead letter, a flushed queue). */
    static final Duration LOST_AFTER = Duration.ofHours(2);
    private static final int KNOWN = 10_000;

    private final ProtocolStore protocols;
    private final StatusCommentStore store;
    private final JobEnqueuer enqueuer;
    private final Transactions tx;
    private final TransactionTemplate savepoint;
    /** Whether a protocol came from an issue: fixed at its creation, so it is asked once per protocol. */
    private final Map<Long, Boolean> fromIssue = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > KNOWN;
        }
    });

    StatusComments(ProtocolStore protocols, StatusCommentStore store, JobEnqueuer enqueuer, Transactions tx,
                   PlatformTransactionManager txm) {
        this.protocols = protocols;
        this.store = store;
        this.enqueuer = enqueuer;
        this.tx = tx;
        this.savepoint = new TransactionTemplate(txm);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    @Override
    public void recorded(Event event) {
        Long runId = event.protocolRunId();
        if (runId == null || !counts(event) || !fromIssue(runId)) return;
        savepoint.executeWithoutResult(s -> ask(event.projectId(), runId));
    }

    /** Asks for the comment to be written again now (the {@code status} command). */
    public void refresh(long projectId, long runId) {
        tx.inTx(() -> {
            ask(projectId, runId);
            return null;
        });
    }

    /** One more thing to show; a job is queued unless one is on its way. */
    private void ask(long projectId, long runId) {
        long now = Clock.now();
        if (store.want(runId, now, now - LOST_AFTER.toMillis())) {
            enqueuer.enqueue(JobType.STATUS_COMMENT_JOB, projectId, runId, null);
        }
    }

    static boolean counts(Event event) {
        if (event.eventType().startsWith("status_comment")) return false;
        Object jobType = event.metadata() == null ? null : event.metadata().get("job_type");
        return !JobType.STATUS_COMMENT_JOB.api().equals(jobType);
    }

    private boolean fromIssue(long runId) {
        Boolean known = fromIssue.get(runId);
        if (known != null) return known;
        Optional<ProtocolRun> run = protocols.find(runId);
        boolean linked = run.isPresent() && run.get().issueNumber() != null;
        fromIssue.put(runId, linked);
        return linked;
    }
}
