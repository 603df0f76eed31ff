package io.deksdenflow.orchestrator.worker;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * True unless {@link WorkerSettings#role()} is API (DEKSDENFLOW_ROLE=api): this process claims and runs jobs.
 * Conditions run before beans exist, so it binds that one setting as the WorkerSettings bean will (same type,
 * same default).
 */
class WorkerRole implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        WorkerSettings.Role role = Binder.get(context.getEnvironment()).bind("deksdenflow.role", WorkerSettings.Role.class)
                .orElseGet(() -> WorkerSettings.defaults().role());
        return role != WorkerSettings.Role.API;
    }
}
