package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.engine.AgentEgress;
import io.deksdenflow.orchestrator.engine.egress.EgressDenial;
import io.deksdenflow.orchestrator.engine.AgentSandbox;
import io.deksdenflow.orchestrator.engine.ConfinedRun;
import io.deksdenflow.orchestrator.engine.CancelHandle;
import io.deksdenflow.orchestrator.engine.MissingBinaryException;
import io.deksdenflow.orchestrator.engine.ProcessResult;
import io.deksdenflow.orchestrator.engine.ProcessRunner;
import io.deksdenflow.orchestrator.engine.ProcessSpec;
import io.deksdenflow.orchestrator.project.Check;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.CheckResult;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.engine.EngineRunStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/**
 * The QA checks of a step: each declared command runs in the step's worktree, without a shell, in
 * the agents' sandbox ({@link AgentSandbox#confine}: same hidden paths, allow-listed environment,
 * read-only git metadata; the worktree writable as for a build; the network only through the project's
 * egress allow-list, see {@link AgentSandbox#open}), with its own timeout. Each one is
 * an engine-run record of phase {@code check} whose output streams to a log ({@code GET /runs/{id}/log}).
 */
@Component
class QaChecks {
    static final int OUTPUT_TAIL_CHARS = 4000;
    static final String PHASE = "check";
    private final ProcessRunner runner;
    private final AgentSandbox sandbox;
    private final EngineRunStore runs;
    private final Workspace workspace;
    private final EngineCalls engineCalls;

    QaChecks(ProcessRunner runner, AgentSandbox sandbox, EngineRunStore runs, Workspace workspace,
             EngineCalls engineCalls) {
        this.engineCalls = engineCalls;
        this.runner = runner;
        this.sandbox = sandbox;
        this.runs = runs;
        this.workspace = workspace;
    }

    /** The checks that apply: the protocol's own, else the project's; null when none are declared. */
    static List<Check> declared(Project project, ProtocolRun run) {
        return run.checks() != null ? run.checks() : project.checks();
    }

    /** Runs every check in order; stops early (returning what ran) once {@code cancelled} says so. */
    List<CheckResult> run(Project project, ProtocolRun run, StepRun step, Path worktree, List<Check> checks,
                          String jobId, CancelHandle cancel, BooleanSupplier cancelled) {
        List<CheckResult> out = new ArrayList<>();
        for (Check c : checks) {
            if (cancelled.getAsBoolean()) break;
            out.add(runOne(project, run, step, worktree, c, jobId, cancel));
        }
        return out;
    }

    private CheckResult runOne(Project project, ProtocolRun run, StepRun step, Path worktree, Check c, String jobId,
                               CancelHandle cancel) {
        Path log = workspace.logFile(project.id(), run.protocolName(), PHASE + "-" + step.stem() + "-"
                + UUID.randomUUID().toString().substring(0, 8) + ".log");
        long runId = runs.start(step.id(), run.id(), jobId, PHASE, PHASE, c.name(), log.toString());
        ProcessSpec spec = ProcessSpec.of(c.command(), worktree, Duration.ofSeconds(c.timeoutSeconds()))
                .withEnv(Map.of("DEKSDENFLOW_PHASE", PHASE))
                .withLogFile(log)
                .withCancel(cancel)
                .withBinarySetting("checks[].command of check '" + c.name() + "'");
        long started = System.nanoTime();
        AgentSandbox.Confinement confinement = new AgentSandbox.Confinement(worktree, false,
                workspace.repo(project.id()).resolve(".git"), List.of(), List.of());
        List<EgressDenial> denials = new CopyOnWriteArrayList<>();
        try (ConfinedRun confined = sandbox.open(spec, confinement,
                new AgentEgress(EngineCalls.egressFor(project, sandbox.defaultEgress()), denials::add))) {
            ProcessResult p = runner.run(confined.spec());
            Integer exit = p.timedOut() || p.cancelled() ? null : p.exitCode();
            String error = p.cancelled() ? "cancelled" : null;
            CheckResult r = new CheckResult(c.name(), exit, p.duration().toMillis(), tail(p.stdout(), p.stderrTail()),
                    p.timedOut(), error, runId);
            runs.finish(runId, exit, 0, 0, false, null, r.failure());
            return r;
        } catch (MissingBinaryException e) {
            long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
            CheckResult r = new CheckResult(c.name(), null, ms, "", false, "program not found: " + c.command().get(0), runId);
            runs.finish(runId, null, 0, 0, false, null, r.failure());
            return r;
        } finally {
            engineCalls.recordDenials(run.id(), step.id(), PHASE, denials);
            runs.keepLog(runId, log);
        }
    }

    /** The end of what the check printed: stdout's tail, then stderr's, at most {@link #OUTPUT_TAIL_CHARS}. */
    static String tail(String stdout, String stderr) {
        String all = (stdout == null ? "" : stdout)
                + (stderr == null || stderr.isEmpty() ? "" : (stdout == null || stdout.isEmpty() ? "" : "\n") + stderr);
        return all.length() <= OUTPUT_TAIL_CHARS ? all : all.substring(all.length() - OUTPUT_TAIL_CHARS);
    }
}
