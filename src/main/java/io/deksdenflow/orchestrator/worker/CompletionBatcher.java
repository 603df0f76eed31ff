package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;

/**
 * Records successes: the ack, {@code onSuccess} when the ack applied (this worker still held the job), the slot.
 *
 * <p>With one pool thread there is nothing to share: the thread acks and fetches its next job in one round trip
 * and waits for it; a Redis failure escapes to {@code worker-errors}, which records the same success again.
 *
 * <p>With more, the pool threads do not wait for Redis: they hand their finished job over and take the next ready
 * job from {@link ReadyJobs}. One thread ({@code worker-acks}) sends every ack handed over since its last call in one
 * script call that also claims as many next jobs as those acks asked for — their slots pass to them, so nothing is
 * claimed that no free slot will run, and each new job's lease starts at its claim — and does not wait for the
 * answer before sending the next call: up to {@link #MAX_IN_FLIGHT} calls are pipelined on the shared connection,
 * so that Redis works on one batch while the pool threads run the jobs of the previous one. The answers come back
 * to the same thread, which calls {@code onSuccess}, moves the slots and puts the new jobs in {@link ReadyJobs}.
 * A call Redis refused is sent again {@link WorkerErrors#REDELIVERIES} times, {@link WorkerErrors#REDELIVERY_DELAY_MS}
 * ms apart (the fencing check makes a repeated ack harmless); after that its jobs are let go as {@code worker-errors}
 * does: still pending in the stream, taken over after their lease.
 */
final class CompletionBatcher implements AutoCloseable, SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(CompletionBatcher.class);
    static final int MAX_BATCH = 64;
    static final int MAX_IN_FLIGHT = 4;
    /** Stops before {@link RunningJobs} hands held jobs back: acks still unanswered get this long. */
    static final long STOP_WAIT_MS = 5_000;

    /**
     * A finished job handed over by a pool thread; {@code fetch}: bring a next job for its slot; {@code recorded}:
     * runs once its ack is answered or given up (releases its protocol's lease).
     */
    private record Done(ClaimedJob claimed, Job job, boolean fetch, Runnable recorded) {}

    private record Answer(List<Done> batch, int attempt, RedisJobQueue.BatchCompletion result, Throwable error) {}

    private record Resend(List<Done> batch, int attempt) {}

    private final RedisJobQueue queue;
    private final RunningJobs running;
    private final JobOutcomeListener listeners;
    private final ReadyJobs ready = new ReadyJobs();
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean lifecycleRunning;

    CompletionBatcher(RedisJobQueue queue, RunningJobs running, JobOutcomeListener listeners, int concurrency) {
        this.queue = queue;
        this.running = running;
        this.listeners = listeners;
        if (concurrency > 1) {
            thread = new Thread(this::loop, "worker-acks");
            thread.setDaemon(true);
            thread.start();
        } else {
            thread = null;
        }
    }

    /**
     * Records the success of a held job; with {@code fetchNext}, returns a job for the caller to run next (now held
     * by this worker), or null.
     */
    ClaimedJob complete(ClaimedJob claimed, Job job, boolean fetchNext) {
        return complete(claimed, job, fetchNext, () -> {});
    }

    /** As {@link #complete(ClaimedJob, Job, boolean)}; {@code recorded} runs once the ack is answered (or given up). */
    ClaimedJob complete(ClaimedJob claimed, Job job, boolean fetchNext, Runnable recorded) {
        if (thread == null) return completeNow(claimed, job, fetchNext, recorded);
        ready.expect();
        events.add(new Done(claimed, job, fetchNext, recorded));
        return ready.take();
    }

    private ClaimedJob completeNow(ClaimedJob claimed, Job job, boolean fetchNext, Runnable recorded) {
        RedisJobQueue.Completion completion;
        try {
            completion = queue.completeAndNext(claimed, fetchNext);
        } finally {
            recorded.run(); // even when Redis refused: worker-errors records again without the lease
        }
        if (completion.applied()) listeners.onSuccess(job);
        if (completion.next() != null) running.handOver(claimed, completion.next());
        else running.done(claimed);
        return completion.next();
    }

    private void loop() {
        List<Done> pending = new ArrayList<>();
        List<Object> got = new ArrayList<>();
        int inFlight = 0;
        while (true) {
            try {
                got.add(events.take());
            } catch (InterruptedException e) {
                return;
            }
            events.drainTo(got);
            for (Object event : got) {
                try {
                    if (event instanceof Done done) {
                        pending.add(done);
                    } else if (event instanceof Resend resend) {
                        send(resend.batch(), resend.attempt());
                    } else if (event instanceof Answer answer && settle(answer)) {
                        inFlight--;
                    }
                } catch (RuntimeException e) { // this thread must live on: pool threads wait for its answers
                    if (event instanceof Answer) inFlight--;
                    log.error("worker-acks: {}", e.toString(), e);
                }
            }
            got.clear();
            // while MAX_IN_FLIGHT calls are unanswered, acks gather into the next (bigger) call
            while (!pending.isEmpty() && inFlight < MAX_IN_FLIGHT) {
                int n = Math.min(MAX_BATCH, pending.size());
                List<Done> batch = new ArrayList<>(pending.subList(0, n));
                pending.subList(0, n).clear();
                send(batch, 0);
                inFlight++;
            }
        }
    }

    private void send(List<Done> batch, int attempt) {
        int fetch = 0;
        if (running.accepting()) {
            for (Done done : batch) if (done.fetch()) fetch++;
        }
        List<ClaimedJob> jobs = new ArrayList<>(batch.size());
        for (Done done : batch) jobs.add(done.claimed());
        CompletableFuture<RedisJobQueue.BatchCompletion> call;
        try {
            call = queue.completeBatchAsync(running.workerId(), jobs, fetch);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((result, error) -> events.add(new Answer(batch, attempt, result, error)));
    }

    /** Applies an answer; false when the batch was sent again (still in flight). */
    private boolean settle(Answer answer) {
        List<Done> batch = answer.batch();
        if (answer.error() != null) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(answer.error());
            if (answer.attempt() < WorkerErrors.REDELIVERIES) {
                log.warn("acking {} job(s) failed, again in {} ms: {}", batch.size(), WorkerErrors.REDELIVERY_DELAY_MS,
                        cause.toString());
                CompletableFuture.delayedExecutor(WorkerErrors.REDELIVERY_DELAY_MS, TimeUnit.MILLISECONDS)
                        .execute(() -> events.add(new Resend(batch, answer.attempt() + 1)));
                return false;
            }
            for (Done done : batch) {
                log.warn("job {}: its outcome could not be recorded ({}); it stays pending and is taken over after its lease",
                        done.claimed().jobId(), cause.toString());
                recordedQuietly(done);
                running.done(done.claimed());
            }
            ready.answered(batch.size(), List.of());
            return true;
        }
        List<ClaimedJob> next = answer.result().next();
        int handed = 0;
        try {
            // before the next jobs reach the pool: one of them may be the same protocol's, waiting for its lease
            for (Done done : batch) recordedQuietly(done);
            for (int i = 0; i < batch.size(); i++) {
                Done done = batch.get(i);
                if (answer.result().applied()[i]) listeners.onSuccess(done.job());
                if (done.fetch() && handed < next.size()) running.handOver(done.claimed(), next.get(handed++));
                else running.done(done.claimed());
            }
        } finally {
            ready.answered(batch.size(), next); // whatever happened, no pool thread waits for this answer any longer
        }
        return true;
    }

    private static void recordedQuietly(Done done) {
        try {
            done.recorded().run();
        } catch (RuntimeException e) {
            log.warn("job {}: after its ack: {}", done.claimed().jobId(), e.toString());
        }
    }

    @Override
    public void start() { lifecycleRunning = true; }

    /** Before held jobs are handed back: lets the acks still unanswered finish (a finished job is not run again). */
    @Override
    public void stop() {
        try {
            if (thread != null && !ready.awaitAnswered(STOP_WAIT_MS)) {
                log.warn("stopping with acks unanswered after {} ms; their jobs are handed back", STOP_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lifecycleRunning = false;
    }

    @Override
    public boolean isRunning() { return lifecycleRunning; }

    @Override
    public int getPhase() { return RunningJobs.PHASE + 1; }

    @Override
    public void close() {
        if (thread != null) thread.interrupt();
        ready.close();
    }
}
