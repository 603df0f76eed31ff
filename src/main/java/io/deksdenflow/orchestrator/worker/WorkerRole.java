package io.deksdenflow.orchestrator.worker;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** True unless DEKSDENFLOW_ROLE=api: this process claims and runs jobs. */
class WorkerRole implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return !"api".equalsIgnoreCase(context.getEnvironment().getProperty("deksdenflow.role", "all").trim());
    }
}
