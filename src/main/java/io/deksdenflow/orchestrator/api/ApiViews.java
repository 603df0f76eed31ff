package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.store.Page;
import static io.deksdenflow.orchestrator.common.Clock.iso;

import io.deksdenflow.orchestrator.api.model.ChannelView;
import io.deksdenflow.orchestrator.api.model.BudgetView;
import io.deksdenflow.orchestrator.api.model.CheckView;
import io.deksdenflow.orchestrator.api.model.EventView;
import io.deksdenflow.orchestrator.api.model.IntakeView;
import io.deksdenflow.orchestrator.api.model.JobView;
import io.deksdenflow.orchestrator.api.model.LockedProject;
import io.deksdenflow.orchestrator.api.model.ProjectView;
import io.deksdenflow.orchestrator.api.model.ProtocolView;
import io.deksdenflow.orchestrator.api.model.QuestionView;
import io.deksdenflow.orchestrator.api.model.RunView;
import io.deksdenflow.orchestrator.api.model.StepView;
import io.deksdenflow.orchestrator.engine.EngineRunStore.EngineRun;
import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.project.Budget;
import io.deksdenflow.orchestrator.project.Check;
import io.deksdenflow.orchestrator.project.Intake;
import io.deksdenflow.orchestrator.project.PlanApproval;
import io.deksdenflow.orchestrator.project.SyncMode;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.CheckResult;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolTransitions;
import io.deksdenflow.orchestrator.protocol.StepQuestion;
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
final class ApiViews {
    private ApiViews() {}

    static ProjectView project(Project p, List<ChannelView> notifications, Map<String, Object> usage,
                               Map<String, Object> paths) {
        return new ProjectView(p.id(), p.name(), p.gitUrl(), p.baseBranch(), p.ciProvider(), p.defaultEngine(),
                p.defaultModels(), p.defaultEngines(), p.agentEgress(), p.status().api(), new ArrayList<>(p.secrets().keySet()),
                p.hasProjectToken(), checks(p.checks()), budget(p.budget()), intake(p.intake()),
                PlanApproval.effective(p.planApproval()), notifications, SyncMode.effective(p.sync()), p.lastError(), iso(p.createdAt()),
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
                ProtocolTransitions.allowedActions(p.status()), p.issueNumber(), p.issueUrl(), p.waitingFor(), p.planApproval(),
                p.awaitingPlanApproval(), p.replans(), iso(p.createdAt()), iso(p.updatedAt()), paths);
    }

    static StepView step(StepRun s, ProtocolStatus protocolStatus) {
        return new StepView(s.id(), s.protocolRunId(), s.stepIndex(), s.stepName(), s.stepType().api(),
                s.status().api(), s.engine(), s.model(), s.tokensUsed(), s.costUsd(), s.qaVerdict(), s.qaReport(),
                s.qaVerdictSource(), s.qaChecks() == null ? null : s.qaChecks().stream().map(CheckResult::view).toList(),
                s.executionCommit(), s.lastError(), iso(s.startedAt()), iso(s.finishedAt()),
                StepTransitions.allowedActions(s, protocolStatus), s.blockedReason(),
                s.questions().stream().map(ApiViews::question).toList(), iso(s.createdAt()), iso(s.updatedAt()));
    }

    static QuestionView question(StepQuestion q) {
        return new QuestionView(q.question(), q.answer(), iso(q.askedAt()), iso(q.answeredAt()));
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

    static IntakeView intake(Intake in) {
        return in == null ? null : new IntakeView(in.label(), in.autoStart(), in.engines(), checks(in.checks()));
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
    static <T, V> List<V> items(Page<T> page, Function<T, V> view) {
        return page.items().stream().map(view).toList();
    }

    static String cursor(Page<?> page) {
        return page.nextCursor() == null ? null : String.valueOf(page.nextCursor());
    }
}
