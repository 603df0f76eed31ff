package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.budget.BudgetSettings;
import io.deksdenflow.orchestrator.budget.ModelPrices;
import io.deksdenflow.orchestrator.budget.ProjectCosts;
import io.deksdenflow.orchestrator.engine.AgentEgress;
import io.deksdenflow.orchestrator.engine.AgentLimitSettings;
import io.deksdenflow.orchestrator.engine.CancelHandle;
import io.deksdenflow.orchestrator.engine.Engine;
import io.deksdenflow.orchestrator.engine.EngineException;
import io.deksdenflow.orchestrator.engine.EngineRegistry;
import io.deksdenflow.orchestrator.engine.EngineRequest;
import io.deksdenflow.orchestrator.engine.EngineResult;
import io.deksdenflow.orchestrator.engine.EngineRunStore;
import io.deksdenflow.orchestrator.engine.EngineSettings;
import io.deksdenflow.orchestrator.engine.ErrorClass;
import io.deksdenflow.orchestrator.engine.SandboxSettings;
import io.deksdenflow.orchestrator.engine.egress.EgressDenial;
import io.deksdenflow.orchestrator.ops.Meters;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.BudgetLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepLifecycle;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/**
 * One engine invocation with everything around it: engine resolution per phase ({@link #engineFor}),
 * model resolution (project, setting), the budget check before the call (tokens and dollars, with the prompt's
 * estimate), the run record, the call's cost (the engine's own figure, else the price table) and the
 * usage added to the step's and protocol's totals afterwards, then the budgets checked again with the
 * real usage.
 */
@Component
class EngineCalls {
    private final EngineSettings settings;
    private final BudgetSettings budget;
    private final SandboxSettings sandbox;
    private final EngineRegistry engines;
    private final EngineRunStore runs;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final StepLifecycle stepLifecycle;
    private final BudgetLifecycle budgets;
    private final Workspace workspace;
    private final Meters meters;
    private final ModelPrices prices;
    private final ProjectCosts costs;
    private final AgentLimitSettings limits;

    EngineCalls(EngineSettings settings, BudgetSettings budget, SandboxSettings sandbox, EngineRegistry engines, EngineRunStore runs, ProtocolStore protocols,
                       StepStore steps, StepLifecycle stepLifecycle, BudgetLifecycle budgets, Workspace workspace,
                       Meters meters, ModelPrices prices, ProjectCosts costs,
                       AgentLimitSettings limits) {
        this.limits = limits;
        this.prices = prices;
        this.costs = costs;
        this.settings = settings;
        this.budget = budget;
        this.sandbox = sandbox;
        this.engines = engines;
        this.runs = runs;
        this.protocols = protocols;
        this.steps = steps;
        this.stepLifecycle = stepLifecycle;
        this.budgets = budgets;
        this.workspace = workspace;
        this.meters = meters;
    }

    public record Call(Project project, ProtocolRun protocol, StepRun step, String phase, Path workdir, String prompt,
                       boolean readOnly, Path outputSchema, String jobId) {}

    /** {@code costUsd} is what the call cost (0 when unpriced); {@code costSource} reported, price_table or unpriced. */
    public record Outcome(EngineResult result, String engine, String model, long runId, Double costUsd, String costSource) {}

    /**
     * The engine of a phase: for exec, the step's own (the engine that executed it, so a retry keeps
     * it); then the protocol's {@code engines[phase]}, the protocol's {@code engine}, the project's
     * {@code default_engines[phase]}, the project's {@code default_engine}, DEKSDENFLOW_QA_ENGINE (QA
     * only) and DEKSDENFLOW_ENGINE.
     */
    public String engineFor(Project project, ProtocolRun protocol, StepRun step, String phase) {
        String name;
        if ("exec".equals(phase) && step != null && step.engine() != null) name = step.engine();
        else if (protocol.engines().get(phase) != null) name = protocol.engines().get(phase);
        else if (protocol.engine() != null) name = protocol.engine();
        else if (project.defaultEngines().get(phase) != null) name = project.defaultEngines().get(phase);
        else if (project.defaultEngine() != null) name = project.defaultEngine();
        else if ("qa".equals(phase) && !settings.qaEngine().isBlank()) name = settings.qaEngine();
        else name = settings.engine();
        return engines.requireKnown(name);
    }

    public String modelFor(Project project, String phase) {
        String fromProject = project.defaultModels() == null ? null : project.defaultModels().get(phase);
        if (fromProject != null && !fromProject.isBlank()) return fromProject;
        return switch (phase) {
            case "planning" -> settings.planningModel();
            case "exec" -> settings.execModel();
            default -> settings.qaModel();
        };
    }

    public Outcome run(Call call, CancelHandle cancel) {
        String engine = engineFor(call.project(), call.protocol(), call.step(), call.phase());
        String model = modelFor(call.project(), call.phase());
        checkBudget(call, model);
        String logName = call.phase() + "-" + (call.step() == null ? "plan" : call.step().stem()) + "-"
                + UUID.randomUUID().toString().substring(0, 8) + ".log";
        Path log = workspace.logFile(call.project().id(), call.protocol().protocolName(), logName);
        long runId = runs.start(call.step() == null ? null : call.step().id(), call.protocol().id(), call.jobId(),
                call.phase(), engine, model, log.toString());
        // the step's engine and model are those that executed it (QA's are on its run record)
        if (call.step() != null && "exec".equals(call.phase())) stepLifecycle.stepEngine(call.step().id(), engine, model);
        EngineResult result;
        List<EgressDenial> denials = new CopyOnWriteArrayList<>();
        try {
            result = engines.get(engine).run(new EngineRequest(call.phase(), call.workdir(), call.prompt(), model,
                    call.readOnly(), call.outputSchema(), log, settings.engineTimeout(),
                    workspace.repo(call.project().id()).resolve(".git"),
                    new AgentEgress(egressFor(call.project()), denials::add), call.project().id()), cancel);
        } catch (EngineException e) {
            runs.finish(runId, e.exitCode(), 0, 0, true, null, e.getMessage(), e.errorClass().api());
            throw e;
        } catch (RuntimeException e) {
            runs.finish(runId, null, 0, 0, true, null, e.getMessage());
            throw e;
        } finally {
            recordDenials(call, denials);
            runs.keepLog(runId, log);
        }
        ModelPrices.Cost cost = prices.cost(model, result.tokensIn(), result.tokensCached(), result.tokensOut(),
                result.costUsd());
        runs.finish(runId, result.exitCode(), result.tokensIn(), result.tokensOut(), result.tokensCached(),
                !result.usageReported(), cost.usd(), cost.source());
        addUsage(call, result.tokensTotal(), cost.usd());
        meters.engineUsage(engine, model, call.phase(), result.tokensIn(), result.tokensOut(), cost.usd());
        checkAfter(call, model);
        if (!call.readOnly()) {
            try {
                WorktreeSize.check(call.workdir(), limits.worktreeMaxMb());
            } catch (RuntimeException e) {
                runs.markFailed(runId, e.getMessage(), ErrorClass.PERMANENT.api());
                throw e;
            }
        }
        return new Outcome(result, engine, model, runId, cost.usd(), cost.source());
    }

    /** What the project's agents may reach: its own {@code agent_egress}, else DEKSDENFLOW_AGENT_EGRESS. */
    static List<String> egressFor(Project project, List<String> defaults) {
        return project.agentEgress() != null ? project.agentEgress() : defaults;
    }

    private List<String> egressFor(Project project) {
        return egressFor(project, sandbox.agentEgressEntries());
    }

    /** Each refused connection of the run (once per host:port, the proxy deduplicates) as an event. */
    private void recordDenials(Call call, List<EgressDenial> denials) {
        recordDenials(call.protocol().id(), call.step() == null ? null : call.step().id(), call.phase(), denials);
    }

    /** The same for any sandboxed run of a protocol (an engine call, a QA check command). */
    void recordDenials(long protocolId, Long stepId, String phase, List<EgressDenial> denials) {
        for (EgressDenial d : denials) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("host", d.host());
            meta.put("port", d.port());
            meta.put("reason", d.reason());
            meta.put("phase", phase);
            budgets.egressDenied(protocolId, stepId,
                    "agent connection to " + d.host() + ":" + d.port() + " refused: " + d.reason(), meta);
        }
    }

    /** Records on the run that its outcome failed the phase after all, and returns the failure to throw. */
    public EngineException failed(Outcome out, EngineException e) {
        runs.markFailed(out.runId(), e.getMessage(), e.errorClass().api());
        return e;
    }

    private void addUsage(Call call, long tokens, Double costUsd) {
        budgets.usage(call.protocol().id(), call.step() == null ? null : call.step().id(), tokens, costUsd);
    }

    private BudgetCheck.Decision decide(Call call, ProtocolRun p, StepRun s, String model, String prompt) {
        List<BudgetCheck.Limit> limits = BudgetCheck.limits(budget, call.project().budget(), p);
        boolean monthly = limits.stream().anyMatch(l -> l.name().equals("max_cost_usd_per_project_month") && l.max() > 0);
        BudgetCheck.Usage used = new BudgetCheck.Usage(s == null ? 0 : s.tokensUsed(), p.tokensUsed(),
                s == null || s.costUsd() == null ? 0 : s.costUsd(), p.costUsd() == null ? 0 : p.costUsd(),
                monthly ? costs.thisMonth(p.projectId()) : 0);
        long tokens = Engine.estimateTokens(prompt);
        return BudgetCheck.check(budget.tokenBudgetMode(), limits, used,
                new BudgetCheck.Estimate(tokens, prices.estimate(model, tokens)));
    }

    /** Tokens as whole numbers, dollars as they are. */
    private static Number amount(BudgetCheck.Limit limit, double v) {
        return limit.name().startsWith("max_tokens") ? (Number) Math.round(v) : (Number) v;
    }

    /** After a call, with its real usage: a limit now passed is recorded at once (the next call is refused). */
    private void checkAfter(Call call, String model) {
        if (budget.tokenBudgetMode() == BudgetSettings.BudgetMode.OFF) return;
        ProtocolRun p = protocols.get(call.protocol().id());
        StepRun s = call.step() == null ? null : steps.get(call.step().id());
        BudgetCheck.Decision d = decide(call, p, s, model, "");
        if (d.outcome() == BudgetCheck.Outcome.ALLOW) return;
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("phase", call.phase());
        meta.put("limit", d.limit().name());
        meta.put("max", amount(d.limit(), d.limit().max()));
        meta.put("used", amount(d.limit(), d.used()));
        meta.put("mode", budget.tokenBudgetMode().name().toLowerCase(Locale.ROOT));
        budgets.budgetOverrun(p.id(), s == null ? null : s.id(), d.limit().name() + " passed by this call: " + d.reason(),
                meta);
    }

    /**
     * Tokens and dollars already used by the step, the protocol and the project this month plus the
     * prompt's estimate, against the limits. Also called with an empty prompt before a QA check command.
     * Warn records {@code budget_warning}; pause pauses the protocol and throws {@link BudgetPausedException};
     * strict throws {@link BudgetExceededException}, whose final failure blocks the step and protocol.
     */
    public void checkBudget(Call call, String model) {
        ProtocolRun p = protocols.get(call.protocol().id());
        StepRun s = call.step() == null ? null : steps.get(call.step().id());
        BudgetCheck.Decision d = decide(call, p, s, model, call.prompt());
        if (d.outcome() == BudgetCheck.Outcome.ALLOW) return;
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("phase", call.phase());
        meta.put("reason", d.reason());
        meta.put("limit", d.limit().name());
        meta.put("used", amount(d.limit(), d.used()));
        meta.put("estimate", amount(d.limit(), d.estimate()));
        meta.put("max", amount(d.limit(), d.limit().max()));
        meta.put("limit_source", d.limit().source());
        meta.put("step_tokens_used", s == null ? 0 : s.tokensUsed());
        meta.put("protocol_tokens_used", p.tokensUsed());
        meta.put("prompt_estimate", call.prompt().length() / 4);
        meta.put("mode", budget.tokenBudgetMode().name().toLowerCase(Locale.ROOT));
        meters.budgetEvent(d.outcome() == BudgetCheck.Outcome.WARN ? "warning"
                : d.outcome() == BudgetCheck.Outcome.PAUSE ? "paused" : "exceeded");
        if (d.outcome() == BudgetCheck.Outcome.WARN) {
            budgets.budgetWarning(p.id(), s == null ? null : s.id(), d.reason(), meta);
            return;
        }
        if (d.outcome() == BudgetCheck.Outcome.PAUSE) {
            Map<String, Object> hold = new LinkedHashMap<>();
            hold.put("limit", d.limit().name());
            hold.put("used", amount(d.limit(), d.used()));
            hold.put("estimate", amount(d.limit(), d.estimate()));
            hold.put("max", amount(d.limit(), d.limit().max()));
            hold.put("phase", call.phase());
            hold.put("step_run_id", s == null ? null : s.id());
            hold.put("reason", d.reason());
            budgets.budgetPaused(p.id(), s == null ? null : s.id(), d.reason(), meta, hold);
            throw new BudgetPausedException(d.reason());
        }
        // the job's final failure blocks the step and the protocol (JobOutcomes → BudgetLifecycle.budgetExceeded)
        throw new BudgetExceededException(d.reason(), meta);
    }
}
