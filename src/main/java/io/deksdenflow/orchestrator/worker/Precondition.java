package io.deksdenflow.orchestrator.worker;

import java.util.Objects;

/**
 * What a {@link JobHandler} found when it read the rows its job works on: {@link Ready} with them, or
 * {@link Skip} when they are no longer in the status the job needs (the job was overtaken: paused,
 * cancelled, already done). {@link JobPerformer} runs the work only when ready; a skip records its reason
 * ({@link Skip#record}, e.g. the {@code job_skipped} event) as the attempt's outcome and the job finishes.
 */
public sealed interface Precondition<T> {
    record Ready<T>(T target) implements Precondition<T> {}

    /** @param record records the skip and its reason (in the attempt: a failure to record it is retried) */
    record Skip<T>(String reason, Runnable record) implements Precondition<T> {
        public Skip {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(record, "record");
        }
    }

    static <T> Precondition<T> ready(T target) {
        return new Ready<>(target);
    }

    static <T> Precondition<T> skip(String reason, Runnable record) {
        return new Skip<>(reason, record);
    }
}
