package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one held job: its handler, under the job timeout, with the context's cancellation. Success
 * acks the job; a thrown exception goes to the {@code worker-errors} route configuration.
 */
public class JobRunner {
    private final HandlerRegistry handlers;
    private final RunningJobs running;
    private final RedisJobQueue queue;
    private final OutcomeListeners listeners;
    private final Duration timeout;

    public JobRunner(HandlerRegistry handlers, RunningJobs running, RedisJobQueue queue,
                     OutcomeListeners listeners, Duration timeout) {
        this.handlers = handlers;
        this.running = running;
        this.queue = queue;
        this.listeners = listeners;
        this.timeout = timeout;
    }

    public void run(ClaimedJob claimed) throws Exception {
        JobContext ctx = running.context(claimed);
        listeners.onStart(claimed.job());
        ScheduledFuture<?> timer = running.timers().schedule(
                () -> ctx.cancelWith(new JobTimedOutException(timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.bind(Thread.currentThread());
        try {
            handlers.find(claimed.job().type()).handle(ctx);
        } catch (Exception e) {
            if (ctx.cancelled()) throw ctx.cancellation();
            throw e;
        } finally {
            ctx.unbind();
            Thread.interrupted();
            timer.cancel(false);
        }
        if (ctx.cancelled()) throw ctx.cancellation();
        try {
            if (!queue.complete(claimed.workerId(), List.of(claimed)).isEmpty()) listeners.onSuccess(claimed.job());
        } finally {
            running.done(claimed);
        }
    }
}
