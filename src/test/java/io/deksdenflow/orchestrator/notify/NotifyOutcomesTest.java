package io.deksdenflow.orchestrator.notify;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotifyOutcomesTest {
    private final DeliveryStore store = mock(DeliveryStore.class);
    private final NotifyOutcomes outcomes = new NotifyOutcomes(store);

    private static Delivery delivery(long id, Delivery.Status status) {
        Delivery d = mock(Delivery.class);
        when(d.id()).thenReturn(id);
        when(d.status()).thenReturn(status);
        return d;
    }

    @Test
    void aNotifyJobDeadLetteredOutsideItsHandlerFailsItsPendingDelivery() {
        Job job = Job.create(JobType.NOTIFY_JOB, 1L, 2L, null, 8, "r", 0).withAttempt(8);
        Delivery pending = delivery(41, Delivery.Status.PENDING);
        when(store.byJobId(job.jobId())).thenReturn(Optional.of(pending));

        outcomes.onFinalFailure(job, new IllegalStateException("worker died"));

        verify(store).attempted(eq(41L), eq(8), eq(Delivery.Status.FAILED), contains("worker died"), isNull());
    }

    @Test
    void aDeliveredRowAndOtherJobsAreLeftAlone() {
        Job job = Job.create(JobType.NOTIFY_JOB, 1L, 2L, null, 8, "r", 0);
        Delivery delivered = delivery(42, Delivery.Status.DELIVERED);
        when(store.byJobId(job.jobId())).thenReturn(Optional.of(delivered));
        outcomes.onFinalFailure(job, new IllegalStateException("late"));
        outcomes.onFinalFailure(Job.create(JobType.OPEN_PR_JOB, 1L, 2L, null, 3, "r", 0), new IllegalStateException("x"));

        verify(store, never()).attempted(anyLong(), anyInt(), any(), any(), any());
    }
}
