package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one held job: its handler, under the job timeout, with the context's cancellation. Success
 * acks the job; a thrown exception goes to the {@code worker-errors} route configuration.
 */
public class JobRunner {
    private final HandlerRegistry handlers;
    private final RunningJobs running;
    private final CompletionBatcher acks;
    private final OutcomeListeners listeners;
    private final Duration timeout;

    public JobRunner(HandlerRegistry handlers, RunningJobs running, CompletionBatcher acks,
                     OutcomeListeners listeners, Duration timeout) {
        this.handlers = handlers;
        this.running = running;
        this.acks = acks;
        this.listeners = listeners;
        this.timeout = timeout;
    }

    /**
     * Runs the job; on success acks it and returns the next job this worker thread now holds (fetched in
     * the same round trip as the ack), or null.
     */
    public ClaimedJob run(ClaimedJob claimed) throws Exception {
        JobContext ctx = running.context(claimed);
        listeners.onStart(claimed.job());
        ScheduledFuture<?> timer = running.timers().schedule(
                () -> ctx.cancelWith(new JobTimedOutException(timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.bind(Thread.currentThread());
        try {
            handlers.find(claimed.job().type()).handle(ctx);
        } catch (Exception e) {
            if (ctx.cancelled()) throw ctx.cancellation();
            if (!running.accepting() && e instanceof InterruptedException) throw new WorkerStoppingException();
            throw e;
        } finally {
            ctx.unbind();
            Thread.interrupted();
            timer.cancel(false);
        }
        if (ctx.cancelled()) throw ctx.cancellation();
        RedisJobQueue.Completion completion;
        try {
            completion = acks.complete(claimed, running.accepting());
        } catch (RuntimeException e) {
            running.done(claimed);
            throw e;
        }
        if (completion.next() != null) running.handOver(claimed, completion.next());
        else running.done(claimed);
        if (completion.applied()) listeners.onSuccess(claimed.job());
        return completion.next();
    }
}
