package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Group commit of acks: worker threads that finish at about the same time share one Redis round trip
 * (finish all, claim as many next jobs as they want). With one worker thread there is nothing to share,
 * and the ack goes straight to Redis.
 */
final class CompletionBatcher implements AutoCloseable {
    static final int MAX_BATCH = 64;

    private record Request(ClaimedJob job, boolean fetch, CompletableFuture<RedisJobQueue.Completion> result) {}

    private final RedisJobQueue queue;
    private final String workerId;
    private final LinkedBlockingQueue<Request> pending = new LinkedBlockingQueue<>();
    private final Thread thread;

    CompletionBatcher(RedisJobQueue queue, String workerId, int concurrency) {
        this.queue = queue;
        this.workerId = workerId;
        if (concurrency > 1) {
            thread = new Thread(this::loop, "worker-acks");
            thread.setDaemon(true);
            thread.start();
        } else {
            thread = null;
        }
    }

    /** Finishes a held job; with {@code fetchNext}, returns the next job now held by the caller (or none). */
    RedisJobQueue.Completion complete(ClaimedJob job, boolean fetchNext) {
        if (thread == null) return queue.completeAndNext(job, fetchNext);
        Request request = new Request(job, fetchNext, new CompletableFuture<>());
        pending.add(request);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return request.result().get();
                } catch (InterruptedException e) {
                    interrupted = true; // the ack is in flight: wait for its outcome anyway
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        List<Request> batch = new ArrayList<>(MAX_BATCH);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(pending.take());
            } catch (InterruptedException e) {
                return;
            }
            pending.drainTo(batch, MAX_BATCH - 1);
            flush(batch);
            batch.clear();
        }
    }

    private void flush(List<Request> batch) {
        try {
            int fetch = (int) batch.stream().filter(Request::fetch).count();
            RedisJobQueue.BatchCompletion done = queue.completeBatch(workerId,
                    batch.stream().map(Request::job).toList(), fetch);
            int next = 0;
            for (int i = 0; i < batch.size(); i++) {
                Request r = batch.get(i);
                ClaimedJob handed = r.fetch() && next < done.next().size() ? done.next().get(next++) : null;
                r.result().complete(new RedisJobQueue.Completion(done.applied()[i], handed));
            }
        } catch (RuntimeException e) {
            batch.forEach(r -> r.result().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        if (thread != null) thread.interrupt();
    }
}
