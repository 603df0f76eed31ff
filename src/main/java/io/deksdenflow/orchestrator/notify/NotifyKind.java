package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.events.Event;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a person is told about: each kind is derived from the events the service records (the event log stays
 * the one source of truth). One event is at most one kind; the first rule that matches wins:
 * <table>
 * <tr><th>kind</th><th>event</th></tr>
 * <tr><td>needs_input</td><td>{@code plan_ready} (a plan awaits approval), {@code agent_question}</td></tr>
 * <tr><td>budget_paused</td><td>{@code protocol_paused} carrying {@code budget_exceeded} (a budget in pause mode)</td></tr>
 * <tr><td>usage_limited</td><td>{@code engine_rate_limited} (a job parked until the engine's limit resets)</td></tr>
 * <tr><td>pr_opened</td><td>{@code pr_opened}</td></tr>
 * <tr><td>ci_failed</td><td>{@code ci_failed}</td></tr>
 * <tr><td>ci_fix_exhausted</td><td>{@code ci_fix_exhausted}</td></tr>
 * <tr><td>protocol_failed</td><td>{@code protocol_failed}, or any protocol event moving it to {@code failed}</td></tr>
 * <tr><td>protocol_blocked</td><td>{@code protocol_blocked}, or any other protocol event moving it to {@code blocked}
 *     (e.g. {@code plan_invalid})</td></tr>
 * <tr><td>protocol_completed</td><td>{@code protocol_completed}</td></tr>
 * </table>
 */
public enum NotifyKind {
    NEEDS_INPUT, BUDGET_PAUSED, USAGE_LIMITED, PR_OPENED, CI_FAILED, CI_FIX_EXHAUSTED, PROTOCOL_BLOCKED,
    PROTOCOL_FAILED, PROTOCOL_COMPLETED;

    public String api() { return name().toLowerCase(Locale.ROOT); }

    /** Every kind's API name, in declaration order (validation messages, the OpenAPI text). */
    public static List<String> names() {
        return Arrays.stream(values()).map(NotifyKind::api).toList();
    }

    /** The kind of this API name, or null. */
    public static NotifyKind parse(String name) {
        for (NotifyKind k : values()) {
            if (k.api().equals(name)) return k;
        }
        return null;
    }

    /** The kind a person is told about for this event, or null when it is none. */
    public static NotifyKind of(Event e) {
        Map<String, Object> meta = e.metadata() == null ? Map.of() : e.metadata();
        String type = e.eventType();
        boolean protocolMove = e.protocolRunId() != null && e.stepRunId() == null;
        return switch (type) {
            case "plan_ready", "agent_question" -> NEEDS_INPUT;
            case "protocol_paused" -> meta.get("budget_exceeded") != null ? BUDGET_PAUSED : null;
            case "engine_rate_limited" -> USAGE_LIMITED;
            case "pr_opened" -> PR_OPENED;
            case "ci_failed" -> CI_FAILED;
            case "ci_fix_exhausted" -> CI_FIX_EXHAUSTED;
            case "protocol_failed" -> PROTOCOL_FAILED;
            case "protocol_blocked" -> PROTOCOL_BLOCKED;
            case "protocol_completed" -> PROTOCOL_COMPLETED;
            default -> {
                if (protocolMove && "failed".equals(meta.get("to"))) yield PROTOCOL_FAILED;
                if (protocolMove && "blocked".equals(meta.get("to")) && !"blocked".equals(meta.get("from"))) {
                    yield PROTOCOL_BLOCKED;
                }
                yield null;
            }
        };
    }
}
