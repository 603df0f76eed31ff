package io.deksdenflow.orchestrator.queue;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.Locale;

/** Where a job is in the queue; each status has its own index in Redis. */
public enum JobStatus {
    QUEUED, STARTED, DELAYED, FINISHED, FAILED;

    public String key() { return name().toLowerCase(Locale.ROOT); }

    public static JobStatus parse(String s) {
        for (JobStatus status : values()) {
            if (status.key().equalsIgnoreCase(s == null ? "" : s.trim())) return status;
        }
        throw new ValidationException("status", "status must be one of queued, started, delayed, finished, failed");
    }
}
