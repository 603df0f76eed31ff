package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.config.Settings;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * True unless {@link Settings#getRole()} is API (DEKSDENFLOW_ROLE=api): this process claims and runs jobs.
 * Conditions run before beans exist, so it binds that one setting as the Settings bean will (same type, same
 * default).
 */
class WorkerRole implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Settings.Role role = Binder.get(context.getEnvironment()).bind("deksdenflow.role", Settings.Role.class)
                .orElseGet(() -> new Settings().getRole());
        return role != Settings.Role.API;
    }
}
