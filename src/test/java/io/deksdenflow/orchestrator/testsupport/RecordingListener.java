package io.deksdenflow.orchestrator.testsupport;

import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.worker.JobOutcomeListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every outcome call, in order. */
public class RecordingListener implements JobOutcomeListener {
    public record Call(String kind, String jobId, int attempt, Throwable error, Duration delay) {}

    public final List<Call> calls = new CopyOnWriteArrayList<>();

    public List<Call> of(String jobId) {
        return calls.stream().filter(c -> c.jobId().equals(jobId)).toList();
    }

    public List<String> kinds(String jobId) {
        return of(jobId).stream().map(Call::kind).toList();
    }

    @Override
    public void onStart(Job job) { calls.add(new Call("start", job.jobId(), job.attempt(), null, null)); }

    @Override
    public void onRetry(Job job, Throwable error, Duration delay) { calls.add(new Call("retry", job.jobId(), job.attempt(), error, delay)); }

    @Override
    public void onFinalFailure(Job job, Throwable error) { calls.add(new Call("final", job.jobId(), job.attempt(), error, null)); }

    @Override
    public void onSuccess(Job job) { calls.add(new Call("success", job.jobId(), job.attempt(), null, null)); }
}
