package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.JobType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The handler bean of each job type and the type's retry policy; a type without a handler fails
 * non-retryably (under the default policy).
 */
final class HandlerRegistry {
    private final Map<JobType, JobHandler<?>> handlers = new EnumMap<>(JobType.class);
    private final Map<JobType, RetryPolicy> policies = new EnumMap<>(JobType.class);
    private final RetryPolicy defaults;

    HandlerRegistry(List<? extends JobHandler<?>> beans, RetryPolicy defaults) {
        this.defaults = defaults;
        for (JobHandler<?> handler : beans) {
            JobHandler<?> previous = handlers.put(handler.type(), handler);
            if (previous != null) {
                throw new IllegalStateException("two handlers for " + handler.type() + ": "
                        + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
            policies.put(handler.type(), handler.retryPolicy(defaults));
        }
    }

    JobHandler<?> find(JobType type) {
        JobHandler<?> handler = handlers.get(type);
        if (handler == null) throw new JobTypeUnavailableException(type);
        return handler;
    }

    RetryPolicy policy(JobType type) {
        return policies.getOrDefault(type, defaults);
    }
}
