package io.deksdenflow.orchestrator.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.events.Event;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which recorded events a person is told about, and as what. */
class NotifyKindTest {
    static Event event(String type, Long stepId, Map<String, Object> meta) {
        return new Event(1, 1, 2L, stepId, type, "m", meta, 0);
    }

    static NotifyKind kind(String type, Map<String, Object> meta) {
        return NotifyKind.of(event(type, null, meta));
    }

    @Test
    void eventsMapToTheirKinds() {
        assertThat(kind("plan_ready", Map.of())).isEqualTo(NotifyKind.NEEDS_INPUT);
        assertThat(NotifyKind.of(event("agent_question", 7L, Map.of()))).isEqualTo(NotifyKind.NEEDS_INPUT);
        assertThat(kind("protocol_paused", Map.of("budget_exceeded", Map.of("max_tokens", 10)))).isEqualTo(NotifyKind.BUDGET_PAUSED);
        assertThat(kind("protocol_paused", Map.of("action", "pause"))).isNull(); // paused by a person: no news to them
        assertThat(NotifyKind.of(event("engine_rate_limited", 7L, Map.of()))).isEqualTo(NotifyKind.USAGE_LIMITED);
        assertThat(kind("pr_opened", Map.of())).isEqualTo(NotifyKind.PR_OPENED);
        assertThat(NotifyKind.of(event("ci_failed", 7L, Map.of()))).isEqualTo(NotifyKind.CI_FAILED);
        assertThat(kind("ci_fix_exhausted", Map.of("to", "blocked"))).isEqualTo(NotifyKind.CI_FIX_EXHAUSTED);
        assertThat(kind("protocol_blocked", Map.of("to", "blocked"))).isEqualTo(NotifyKind.PROTOCOL_BLOCKED);
        assertThat(kind("plan_invalid", Map.of("from", "planning", "to", "blocked"))).isEqualTo(NotifyKind.PROTOCOL_BLOCKED);
        assertThat(kind("protocol_failed", Map.of())).isEqualTo(NotifyKind.PROTOCOL_FAILED);
        assertThat(kind("anything", Map.of("from", "running", "to", "failed"))).isEqualTo(NotifyKind.PROTOCOL_FAILED);
        assertThat(kind("protocol_completed", Map.of())).isEqualTo(NotifyKind.PROTOCOL_COMPLETED);
    }

    @Test
    void otherEventsAreNoNotification() {
        assertThat(kind("step_started", Map.of("to", "running"))).isNull();
        assertThat(kind("job_retry", Map.of())).isNull();
        assertThat(NotifyKind.of(event("step_blocked", 7L, Map.of("to", "blocked")))).isNull(); // a step, not the protocol
        assertThat(kind("budget_raised", Map.of("from", "blocked", "to", "blocked"))).isNull();
        assertThat(NotifyKind.names()).contains("needs_input", "budget_paused", "usage_limited", "pr_opened", "ci_failed",
                "ci_fix_exhausted", "protocol_blocked", "protocol_failed", "protocol_completed");
    }
}
