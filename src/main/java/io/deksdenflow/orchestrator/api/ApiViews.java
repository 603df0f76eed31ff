package io.deksdenflow.orchestrator.api;

import static io.deksdenflow.orchestrator.common.Clock.iso;

import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.project.Budget;
import io.deksdenflow.orchestrator.project.Check;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.CheckResult;
import io.deksdenflow.orchestrator.protocol.ActionResult;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolTransitions;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepTransitions;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.engine.EngineRunStore.EngineRun;
import io.deksdenflow.orchestrator.store.Page;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON shapes of the API. Secrets and the project token hash never appear: a project shows only
 * its {@code secret_keys} and {@code has_project_token}. Paths on the server's disk are left out
 * ({@link PathViews} adds them back when DEKSDENFLOW_EXPOSE_PATHS=true).
 */
final class ApiViews {
    private ApiViews() {}

    static Map<String, Object> project(Project p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("name", p.name());
        m.put("git_url", p.gitUrl());
        m.put("base_branch", p.baseBranch());
        m.put("ci_provider", p.ciProvider());
        m.put("default_engine", p.defaultEngine());
        m.put("default_models", p.defaultModels());
        m.put("default_engines", p.defaultEngines());
        m.put("status", p.status().api());
        m.put("secret_keys", new ArrayList<>(p.secrets().keySet()));
        m.put("has_project_token", p.hasProjectToken());
        m.put("checks", checks(p.checks()));
        m.put("budget", budget(p.budget()));
        m.put("last_error", p.lastError());
        m.put("created_at", iso(p.createdAt()));
        m.put("updated_at", iso(p.updatedAt()));
        return m;
    }

    /** What a listing shows of a token-protected project to a request without its token. */
    static Map<String, Object> lockedProject(Project p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("has_project_token", true);
        m.put("locked", true);
        return m;
    }

    static Map<String, Object> protocol(ProtocolRun p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("project_id", p.projectId());
        m.put("protocol_name", p.protocolName());
        m.put("description", p.description());
        m.put("base_branch", p.baseBranch());
        m.put("engine", p.engine());
        m.put("engines", p.engines());
        m.put("auto_advance", p.autoAdvance());
        m.put("status", p.status().api());
        m.put("paused_from", p.pausedFrom() == null ? null : p.pausedFrom().api());
        m.put("pr_url", p.prUrl());
        m.put("tokens_used", p.tokensUsed());
        m.put("cost_usd", p.costUsd());
        m.put("checks", checks(p.checks()));
        m.put("max_tokens", p.maxTokens());
        m.put("max_cost_usd", p.maxCostUsd());
        m.put("budget_exceeded", p.status() == ProtocolStatus.PAUSED ? p.budgetHold() : null);
        m.put("last_error", p.lastError());
        m.put("allowed_actions", ProtocolTransitions.allowedActions(p.status()));
        m.put("created_at", iso(p.createdAt()));
        m.put("updated_at", iso(p.updatedAt()));
        return m;
    }

    static Map<String, Object> step(StepRun s, ProtocolStatus protocolStatus) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("protocol_run_id", s.protocolRunId());
        m.put("step_index", s.stepIndex());
        m.put("step_name", s.stepName());
        m.put("step_type", s.stepType().api());
        m.put("status", s.status().api());
        m.put("engine", s.engine());
        m.put("model", s.model());
        m.put("tokens_used", s.tokensUsed());
        m.put("cost_usd", s.costUsd());
        m.put("qa_verdict", s.qaVerdict());
        m.put("qa_report", s.qaReport());
        m.put("qa_verdict_source", s.qaVerdictSource());
        m.put("qa_checks", s.qaChecks() == null ? null : s.qaChecks().stream().map(CheckResult::view).toList());
        m.put("execution_commit", s.executionCommit());
        m.put("last_error", s.lastError());
        m.put("started_at", iso(s.startedAt()));
        m.put("finished_at", iso(s.finishedAt()));
        m.put("allowed_actions", StepTransitions.allowedActions(s.status(), protocolStatus));
        m.put("created_at", iso(s.createdAt()));
        m.put("updated_at", iso(s.updatedAt()));
        return m;
    }

    static Map<String, Object> event(Event e) {
        return e.view();
    }

    static Map<String, Object> run(EngineRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("step_run_id", r.stepRunId());
        m.put("protocol_run_id", r.protocolRunId());
        m.put("job_id", r.jobId());
        m.put("phase", r.phase());
        m.put("engine", r.engine());
        m.put("model", r.model());
        m.put("started_at", iso(r.startedAt()));
        m.put("finished_at", iso(r.finishedAt()));
        m.put("exit_code", r.exitCode());
        m.put("tokens_in", r.tokensIn());
        m.put("tokens_out", r.tokensOut());
        m.put("tokens_cached", r.tokensCached());
        m.put("tokens_estimated", r.tokensEstimated());
        m.put("cost_usd", r.costUsd());
        m.put("cost_source", r.costSource());
        m.put("error", r.error());
        m.put("error_class", r.errorClass());
        return m;
    }

    /** Declared checks as {name, command (argv), timeout_seconds}; null when none are declared. */
    static List<Map<String, Object>> checks(List<Check> checks) {
        if (checks == null) return null;
        return checks.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("command", c.command());
            m.put("timeout_seconds", c.timeoutSeconds());
            return m;
        }).toList();
    }

    static Map<String, Object> budget(Budget b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_tokens_per_step", b.maxTokensPerStep());
        m.put("max_tokens_per_protocol", b.maxTokensPerProtocol());
        m.put("max_cost_usd_per_step", b.maxCostUsdPerStep());
        m.put("max_cost_usd_per_protocol", b.maxCostUsdPerProtocol());
        m.put("max_cost_usd_per_project_month", b.maxCostUsdPerProjectMonth());
        return m;
    }

    static Map<String, Object> job(Job j) {
        if (j == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", j.jobId());
        m.put("job_type", j.type().api());
        m.put("status", "queued");
        return m;
    }

    static <T> Map<String, Object> action(ActionResult<T> r, String key, Function<T, Map<String, Object>> view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message", r.message());
        m.put(key, view.apply(r.entity()));
        m.put("job", job(r.job()));
        return m;
    }

    static <T> Map<String, Object> page(Page<T> page, Function<T, Map<String, Object>> view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", page.items().stream().map(view).toList());
        m.put("next_cursor", page.nextCursor() == null ? null : String.valueOf(page.nextCursor()));
        return m;
    }
}
