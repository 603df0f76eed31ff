package io.deksdenflow.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.mock.env.MockEnvironment;

/** The worker beans exist unless the role bound into Settings is API (same parsing and default as Settings). */
class WorkerRoleTest {
    static boolean runsWorker(String role) {
        MockEnvironment env = new MockEnvironment();
        if (role != null) env.setProperty("deksdenflow.role", role);
        ConditionContext context = mock(ConditionContext.class);
        when(context.getEnvironment()).thenReturn(env);
        return new WorkerRole().matches(context, null);
    }

    @Test
    void onlyTheApiRoleRunsNoWorker() {
        assertThat(runsWorker(null)).isTrue();
        assertThat(runsWorker("all")).isTrue();
        assertThat(runsWorker("worker")).isTrue();
        assertThat(runsWorker("WORKER")).isTrue();
        assertThat(runsWorker("api")).isFalse();
        assertThat(runsWorker("API")).isFalse();
    }
}
