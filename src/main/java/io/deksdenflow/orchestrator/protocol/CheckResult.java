package io.deksdenflow.orchestrator.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one QA check did: its exit code (null when it timed out or could not start), how long it
 * took, the tail of its output, and the engine-run id of its log ({@code GET /runs/{id}/log}).
 */
public record CheckResult(String name, Integer exitCode, long durationMs, String outputTail, boolean timedOut,
                          String error, Long runId) {

    public boolean passed() { return !timedOut && error == null && exitCode != null && exitCode == 0; }

    /** Why it failed, naming the check; null when it passed. */
    public String failure() {
        if (passed()) return null;
        if (timedOut) return "check '" + name + "' timed out after " + durationMs + " ms";
        if (error != null) return "check '" + name + "' could not run: " + error;
        return "check '" + name + "' exited " + exitCode;
    }

    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("exit_code", exitCode);
        m.put("duration_ms", durationMs);
        m.put("output_tail", outputTail);
        m.put("timed_out", timedOut);
        m.put("passed", passed());
        if (error != null) m.put("error", error);
        m.put("run_id", runId);
        return m;
    }

    public static CheckResult fromView(Map<String, Object> m) {
        Object exit = m.get("exit_code");
        Object run = m.get("run_id");
        return new CheckResult(String.valueOf(m.get("name")), exit == null ? null : ((Number) exit).intValue(),
                ((Number) m.getOrDefault("duration_ms", 0)).longValue(), (String) m.get("output_tail"),
                Boolean.TRUE.equals(m.get("timed_out")), (String) m.get("error"),
                run == null ? null : ((Number) run).longValue());
    }
}
