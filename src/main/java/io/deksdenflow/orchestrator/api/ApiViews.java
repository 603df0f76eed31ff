package io.deksdenflow.orchestrator.api;

import static io.deksdenflow.orchestrator.common.Clock.iso;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deksdenflow.orchestrator.engine.EngineRunStore.EngineRun;
import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.project.Budget;
import io.deksdenflow.orchestrator.project.Check;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.CheckResult;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolTransitions;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepTransitions;
import io.deksdenflow.orchestrator.queue.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON shapes of the API as typed records (snake_case; the OpenAPI document's schemas are made
 * from them). Secrets and the project token hash never appear: a project shows only its
 * {@code secret_keys} and {@code has_project_token}. Paths on the server's disk are left out
 * ({@link PathViews} adds them, as the {@code paths} extension, when DEKSDENFLOW_EXPOSE_PATHS=true).
 */
public final class ApiViews {
    private ApiViews() {}

    /** Every list: {@code {items, next_cursor}}; the cursor is the last item's id, as a string, or null. */
    public interface Page<T> {
        List<T> items();

        String nextCursor();
    }

    /** An item of {@code GET /projects}: the full project, or {@link LockedProject} without its token. */
    public sealed interface ProjectListItem permits ProjectView, LockedProject {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CheckView(String name, List<String> command, Integer timeoutSeconds) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BudgetView(Long maxTokensPerStep, Long maxTokensPerProtocol, Double maxCostUsdPerStep,
                             Double maxCostUsdPerProtocol, Double maxCostUsdPerProjectMonth) {}

    /** The job an action enqueued; {@code status} is always {@code queued} at that moment. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record JobView(String jobId, String jobType, String status) {}

    /**
     * A project. {@code usage}: its spend (tokens, cost in total and this month); {@code job} only in
     * the answer to {@code POST /projects}; {@code local_path} only when DEKSDENFLOW_EXPOSE_PATHS=true.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProjectView(long id, String name, String gitUrl, String baseBranch, String ciProvider,
                              String defaultEngine, Map<String, String> defaultModels,
                              Map<String, String> defaultEngines, String status, List<String> secretKeys,
                              boolean hasProjectToken, List<CheckView> checks, BudgetView budget, String lastError,
                              String createdAt, String updatedAt, Map<String, Object> usage,
                              @JsonInclude(JsonInclude.Include.NON_NULL) JobView job,
                              @JsonAnyGetter Map<String, Object> paths) implements ProjectListItem {
        ProjectView withJob(JobView j) {
            return new ProjectView(id, name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels,
                    defaultEngines, status, secretKeys, hasProjectToken, checks, budget, lastError, createdAt,
                    updatedAt, usage, j, paths);
        }
    }

    /** What a listing shows of a token-protected project to a request without its token. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record LockedProject(long id, boolean hasProjectToken, boolean locked) implements ProjectListItem {}

    /** A protocol run; {@code worktree_path} only when DEKSDENFLOW_EXPOSE_PATHS=true. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProtocolView(long id, long projectId, String protocolName, String description, String baseBranch,
                               String engine, Map<String, String> engines, boolean autoAdvance, String status,
                               String pausedFrom, String prUrl, long tokensUsed, Double costUsd,
                               List<CheckView> checks, Long maxTokens, Double maxCostUsd,
                               Map<String, Object> budgetExceeded, String lastError, List<String> allowedActions,
                               String createdAt, String updatedAt,
                               @JsonAnyGetter Map<String, Object> paths) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StepView(long id, long protocolRunId, int stepIndex, String stepName, String stepType, String status,
                           String engine, String model, long tokensUsed, Double costUsd, String qaVerdict,
                           String qaReport, String qaVerdictSource, List<Map<String, Object>> qaChecks,
                           String executionCommit, String lastError, String startedAt, String finishedAt,
                           List<String> allowedActions, String createdAt, String updatedAt) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record EventView(long id, long projectId, Long protocolRunId, Long stepRunId, String eventType,
                            String message, Map<String, Object> metadata, String createdAt) {}

    /** One engine invocation (planning, exec or QA) of a step. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RunView(long id, Long stepRunId, long protocolRunId, String jobId, String phase, String engine,
                          String model, String startedAt, String finishedAt, Integer exitCode, long tokensIn,
                          long tokensOut, long tokensCached, boolean tokensEstimated, Double costUsd,
                          String costSource, String error, String errorClass) {}

    /** {@code GET /runs/{id}/log}: the last 64 KiB of an engine run's log. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RunLogView(long runId, String log, boolean truncated) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProtocolActionResponse(String message, ProtocolView protocol, JobView job) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StepActionResponse(String message, StepView step, JobView job) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProjectActionResponse(String message, ProjectView project, JobView job) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProjectPage(List<ProjectListItem> items, String nextCursor) implements Page<ProjectListItem> {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProtocolPage(List<ProtocolView> items, String nextCursor) implements Page<ProtocolView> {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StepPage(List<StepView> items, String nextCursor) implements Page<StepView> {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record EventPage(List<EventView> items, String nextCursor) implements Page<EventView> {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RunPage(List<RunView> items, String nextCursor) implements Page<RunView> {}

    /** {@code GET /queues/jobs}: {job_id, job_type, status, project_id, protocol_run_id, step_run_id, ...}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record QueueJobPage(List<Map<String, Object>> items, String nextCursor) implements Page<Map<String, Object>> {}

    /** {@code GET /queues}: {@code {"backend":"redis","queues":{"default":{"queued":n,...}}}}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record QueueSummary(String backend, Map<String, Object> queues) {}

    static ProjectView project(Project p, Map<String, Object> usage, Map<String, Object> paths) {
        return new ProjectView(p.id(), p.name(), p.gitUrl(), p.baseBranch(), p.ciProvider(), p.defaultEngine(),
                p.defaultModels(), p.defaultEngines(), p.status().api(), new ArrayList<>(p.secrets().keySet()),
                p.hasProjectToken(), checks(p.checks()), budget(p.budget()), p.lastError(), iso(p.createdAt()),
                iso(p.updatedAt()), usage, null, paths);
    }

    static LockedProject lockedProject(Project p) {
        return new LockedProject(p.id(), true, true);
    }

    static ProtocolView protocol(ProtocolRun p, Map<String, Object> paths) {
        return new ProtocolView(p.id(), p.projectId(), p.protocolName(), p.description(), p.baseBranch(), p.engine(),
                p.engines(), p.autoAdvance(), p.status().api(), p.pausedFrom() == null ? null : p.pausedFrom().api(),
                p.prUrl(), p.tokensUsed(), p.costUsd(), checks(p.checks()), p.maxTokens(), p.maxCostUsd(),
                p.status() == ProtocolStatus.PAUSED ? p.budgetHold() : null, p.lastError(),
                ProtocolTransitions.allowedActions(p.status()), iso(p.createdAt()), iso(p.updatedAt()), paths);
    }

    static StepView step(StepRun s, ProtocolStatus protocolStatus) {
        return new StepView(s.id(), s.protocolRunId(), s.stepIndex(), s.stepName(), s.stepType().api(),
                s.status().api(), s.engine(), s.model(), s.tokensUsed(), s.costUsd(), s.qaVerdict(), s.qaReport(),
                s.qaVerdictSource(), s.qaChecks() == null ? null : s.qaChecks().stream().map(CheckResult::view).toList(),
                s.executionCommit(), s.lastError(), iso(s.startedAt()), iso(s.finishedAt()),
                StepTransitions.allowedActions(s.status(), protocolStatus), iso(s.createdAt()), iso(s.updatedAt()));
    }

    static EventView event(Event e) {
        return new EventView(e.id(), e.projectId(), e.protocolRunId(), e.stepRunId(), e.eventType(), e.message(),
                e.metadata(), iso(e.createdAt()));
    }

    static RunView run(EngineRun r) {
        return new RunView(r.id(), r.stepRunId(), r.protocolRunId(), r.jobId(), r.phase(), r.engine(), r.model(),
                iso(r.startedAt()), iso(r.finishedAt()), r.exitCode(), r.tokensIn(), r.tokensOut(), r.tokensCached(),
                r.tokensEstimated(), r.costUsd(), r.costSource(), r.error(), r.errorClass());
    }

    /** Declared checks as {name, command (argv), timeout_seconds}; null when none are declared. */
    static List<CheckView> checks(List<Check> checks) {
        if (checks == null) return null;
        return checks.stream().map(c -> new CheckView(c.name(), c.command(), c.timeoutSeconds())).toList();
    }

    static BudgetView budget(Budget b) {
        if (b == null) b = Budget.NONE;
        return new BudgetView(b.maxTokensPerStep(), b.maxTokensPerProtocol(), b.maxCostUsdPerStep(),
                b.maxCostUsdPerProtocol(), b.maxCostUsdPerProjectMonth());
    }

    static JobView job(Job j) {
        return j == null ? null : new JobView(j.jobId(), j.type().api(), "queued");
    }

    /** The items of a store page, each through {@code view}. */
    static <T, V> List<V> items(io.deksdenflow.orchestrator.store.Page<T> page, Function<T, V> view) {
        return page.items().stream().map(view).toList();
    }

    static String cursor(io.deksdenflow.orchestrator.store.Page<?> page) {
        return page.nextCursor() == null ? null : String.valueOf(page.nextCursor());
    }
}
