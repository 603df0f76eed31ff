package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.engine.CancelHandle;
import io.deksdenflow.orchestrator.engine.EngineException;
import io.deksdenflow.orchestrator.engine.EngineRegistry;
import io.deksdenflow.orchestrator.engine.EngineRequest;
import io.deksdenflow.orchestrator.engine.EngineResult;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolDriver;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StateChanges;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepTransitions;
import io.deksdenflow.orchestrator.store.EngineRunStore;
import io.deksdenflow.orchestrator.store.ProtocolStore;
import io.deksdenflow.orchestrator.store.StepStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * One engine invocation with everything around it: engine resolution per phase ({@link #engineFor}),
 * model resolution (project, setting), the token budget check before the call, the run record, and the usage added
 * to the step's and protocol's totals afterwards.
 */
@Component
public class EngineCalls {
    private final Settings settings;
    private final EngineRegistry engines;
    private final EngineRunStore runs;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final Transactions tx;
    private final EventRecorder events;
    private final StateChanges changes;
    private final ProtocolDriver driver;
    private final Workspace workspace;
    private final io.deksdenflow.orchestrator.ops.Meters meters;

    public EngineCalls(Settings settings, EngineRegistry engines, EngineRunStore runs, ProtocolStore protocols,
                       StepStore steps, Transactions tx, EventRecorder events, StateChanges changes,
                       ProtocolDriver driver, Workspace workspace,
                       io.deksdenflow.orchestrator.ops.Meters meters) {
        this.settings = settings;
        this.engines = engines;
        this.runs = runs;
        this.protocols = protocols;
        this.steps = steps;
        this.tx = tx;
        this.events = events;
        this.changes = changes;
        this.driver = driver;
        this.workspace = workspace;
        this.meters = meters;
    }

    public record Call(Project project, ProtocolRun protocol, StepRun step, String phase, Path workdir, String prompt,
                       boolean readOnly, Path outputSchema, String jobId) {}

    public record Outcome(EngineResult result, String engine, String model, long runId) {}

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
        else if ("qa".equals(phase) && !settings.getQaEngine().isBlank()) name = settings.getQaEngine();
        else name = settings.getEngine();
        return engines.requireKnown(name);
    }

    public String modelFor(Project project, String phase) {
        String fromProject = project.defaultModels() == null ? null : project.defaultModels().get(phase);
        if (fromProject != null && !fromProject.isBlank()) return fromProject;
        return switch (phase) {
            case "planning" -> settings.getPlanningModel();
            case "exec" -> settings.getExecModel();
            default -> settings.getQaModel();
        };
    }

    public Outcome run(Call call, CancelHandle cancel) {
        String engine = engineFor(call.project(), call.protocol(), call.step(), call.phase());
        String model = modelFor(call.project(), call.phase());
        checkBudget(call);
        String logName = call.phase() + "-" + (call.step() == null ? "plan" : call.step().stem()) + "-"
                + UUID.randomUUID().toString().substring(0, 8) + ".log";
        Path log = workspace.logFile(call.project().id(), call.protocol().protocolName(), logName);
        long runId = runs.start(call.step() == null ? null : call.step().id(), call.protocol().id(), call.jobId(),
                call.phase(), engine, model, log.toString());
        // the step's engine and model are those that executed it (QA's are on its run record)
        if (call.step() != null && "exec".equals(call.phase())) steps.setEngine(call.step().id(), engine, model);
        EngineResult result;
        try {
            result = engines.get(engine).run(new EngineRequest(call.phase(), call.workdir(), call.prompt(), model,
                    call.readOnly(), call.outputSchema(), log, settings.getEngineTimeout(),
                    workspace.repo(call.project().id()).resolve(".git")), cancel);
        } catch (EngineException e) {
            runs.finish(runId, e.exitCode(), 0, 0, true, null, e.getMessage(), e.errorClass().api());
            throw e;
        } catch (RuntimeException e) {
            runs.finish(runId, null, 0, 0, true, null, e.getMessage());
            throw e;
        }
        runs.finish(runId, result.exitCode(), result.tokensIn(), result.tokensOut(), !result.usageReported(),
                result.costUsd(), null);
        addUsage(call, result);
        meters.engineUsage(engine, model, call.phase(), result.tokensIn(), result.tokensOut(), result.costUsd());
        return new Outcome(result, engine, model, runId);
    }

    /** Records on the run that its outcome failed the phase after all, and returns the failure to throw. */
    public EngineException failed(Outcome out, EngineException e) {
        runs.markFailed(out.runId(), e.getMessage(), e.errorClass().api());
        return e;
    }

    private void addUsage(Call call, EngineResult r) {
        tx.inTx(() -> {
            protocols.addUsage(call.protocol().id(), r.tokensTotal(), r.costUsd());
            if (call.step() != null) steps.addUsage(call.step().id(), r.tokensTotal(), r.costUsd());
            return null;
        });
    }

    /** Tokens already used by the step and the protocol plus the prompt's estimate, against the limits. */
    private void checkBudget(Call call) {
        ProtocolRun p = protocols.get(call.protocol().id());
        StepRun s = call.step() == null ? null : steps.get(call.step().id());
        BudgetCheck.Decision d = BudgetCheck.check(settings, s == null ? 0 : s.tokensUsed(), p.tokensUsed(), call.prompt());
        if (d.outcome() == BudgetCheck.Outcome.ALLOW) return;
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("phase", call.phase());
        meta.put("reason", d.reason());
        meta.put("step_tokens_used", s == null ? 0 : s.tokensUsed());
        meta.put("protocol_tokens_used", p.tokensUsed());
        meta.put("prompt_estimate", call.prompt().length() / 4);
        meta.put("mode", settings.getTokenBudgetMode().name().toLowerCase());
        meters.budgetEvent(d.outcome() == BudgetCheck.Outcome.WARN ? "warning" : "exceeded");
        if (d.outcome() == BudgetCheck.Outcome.WARN) {
            tx.inTx(() -> events.record(p.projectId(), p.id(), s == null ? null : s.id(), "budget_warning", d.reason(), meta));
            return;
        }
        tx.inTx(() -> {
            if (s != null && StepTransitions.allows(steps.get(s.id()).status(), StepAction.BLOCK)) {
                changes.step(p, steps.get(s.id()), StepAction.BLOCK, "step_blocked", d.reason(), d.reason(), meta);
            }
            events.record(p.projectId(), p.id(), s == null ? null : s.id(), "budget_exceeded", d.reason(), meta);
            driver.block(p, "protocol_blocked", "token budget exceeded: " + d.reason(), meta);
            return null;
        });
        throw new BudgetExceededException(d.reason());
    }
}
