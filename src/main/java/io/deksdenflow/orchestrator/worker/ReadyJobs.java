package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.ClaimedJob;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker's local buffer of claimed jobs not started yet, filled by {@link CompletionBatcher}'s pipelined acks
 * (each ack that asked for a next job may bring one) and drained by the pool threads. Every such job already holds
 * a slot and its lease runs from its claim, so nothing waits here that no slot will run at once. A pool thread
 * that handed over its ack takes any job that is ready — not necessarily the one its own ack fetched — so a thread
 * that is awake keeps running jobs while the others sleep; it waits only while acks are still unanswered, and gets
 * null once none is (then nothing more comes this way).
 */
final class ReadyJobs {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ClaimedJob> jobs = new ArrayDeque<>();
    private int unanswered;
    private boolean closed;

    /** An ack was handed over; its answer will come through {@link #answered}. */
    void expect() {
        lock.lock();
        try {
            unanswered++;
        } finally {
            lock.unlock();
        }
    }

    /** {@code acks} acks were answered (or given up) and brought {@code next}, each already held by this worker. */
    void answered(int acks, List<ClaimedJob> next) {
        lock.lock();
        try {
            unanswered -= acks;
            jobs.addAll(next);
            if (unanswered <= 0) {
                changed.signalAll(); // whoever waits without a job can stop waiting
            } else {
                for (int i = 0; i < next.size(); i++) changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A ready job; else waits while acks are unanswered; null when none is ready and none is unanswered. */
    ClaimedJob take() {
        lock.lock();
        try {
            while (jobs.isEmpty() && unanswered > 0 && !closed) changed.awaitUninterruptibly();
            return jobs.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis} until no ack is unanswered; true when none is. */
    boolean awaitAnswered(long millis) throws InterruptedException {
        long left = TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (unanswered > 0 && !closed && left > 0) left = changed.awaitNanos(left);
            return unanswered <= 0;
        } finally {
            lock.unlock();
        }
    }

    /** Nothing is answered any more (the batcher stopped): no pool thread waits for it. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
