package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.queue.Job;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a handler sees of the job it runs, and the job's cancellation. */
public final class JobContext {
    private static final Logger log = LoggerFactory.getLogger(JobContext.class);

    private final Job job;
    private final String workerId;
    private final List<Runnable> onCancel = new ArrayList<>();
    private RuntimeException cancellation;
    private Thread runner;

    JobContext(Job job, String workerId) {
        this.job = job;
        this.workerId = workerId;
    }

    public Job job() { return job; }

    public String workerId() { return workerId; }

    public synchronized boolean cancelled() { return cancellation != null; }

    /** Runs {@code action} when the job is cancelled (at once if it already is), e.g. killing a process tree. */
    public void onCancel(Runnable action) {
        synchronized (this) {
            if (cancellation == null) {
                onCancel.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    /** Cancels the job: runs the onCancel actions and interrupts the handler's thread. */
    public void cancel(String reason) {
        cancelWith(new JobCancelledException(reason));
    }

    /** Cancels the job with {@code failure} as its outcome: a {@link JobFailure} is final, anything else retried. */
    void cancelWith(RuntimeException failure) {
        List<Runnable> actions;
        synchronized (this) {
            if (cancellation != null) return;
            cancellation = failure;
            actions = List.copyOf(onCancel);
            onCancel.clear();
        }
        actions.forEach(JobContext::runQuietly);
        synchronized (this) {
            if (runner != null) runner.interrupt();
        }
    }

    synchronized RuntimeException cancellation() { return cancellation; }

    synchronized void bind(Thread thread) { runner = thread; }

    synchronized void unbind() { runner = null; }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("an onCancel action failed: {}", e.toString());
        }
    }
}
