package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.JobType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The handler bean of each job type; a type without one fails non-retryably. */
final class HandlerRegistry {
    private final Map<JobType, JobHandler> handlers = new EnumMap<>(JobType.class);

    HandlerRegistry(List<JobHandler> beans) {
        for (JobHandler handler : beans) {
            JobHandler previous = handlers.put(handler.type(), handler);
            if (previous != null) {
                throw new IllegalStateException("two handlers for " + handler.type() + ": "
                        + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
    }

    JobHandler find(JobType type) {
        JobHandler handler = handlers.get(type);
        if (handler == null) throw new JobTypeUnavailableException(type);
        return handler;
    }
}
