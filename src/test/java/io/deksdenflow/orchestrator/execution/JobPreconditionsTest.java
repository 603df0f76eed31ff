package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.deksdenflow.orchestrator.git.GitClients;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.protocol.BaseSyncLifecycle;
import io.deksdenflow.orchestrator.protocol.BaseSyncStore;
import io.deksdenflow.orchestrator.protocol.CiLifecycle;
import io.deksdenflow.orchestrator.protocol.CiLoopStore;
import io.deksdenflow.orchestrator.protocol.JobLifecycle;
import io.deksdenflow.orchestrator.protocol.PlanningLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.QaLifecycle;
import io.deksdenflow.orchestrator.protocol.QuestionLifecycle;
import io.deksdenflow.orchestrator.protocol.StepLifecycle;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.worker.ProtocolLeases;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.Precondition;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The handlers' preconditions: rows in the status a job needs → ready with them; otherwise a skip whose
 * recording is the {@code job_skipped} of {@link JobLifecycle} with the reason (the ci_fix row's own skip for
 * a fix that cannot go ahead). The stores and lifecycles are mocks.
 */
class JobPreconditionsTest {
    final ProtocolStore protocols = mock(ProtocolStore.class);
    final StepStore steps = mock(StepStore.class);
    final JobLifecycle jobs = mock(JobLifecycle.class);
    final CiLoopStore ciLoop = mock(CiLoopStore.class);
    final CiLifecycle ci = mock(CiLifecycle.class);
    final JobScope scope = new JobScope(mock(ProjectStore.class), protocols, steps, mock(GitClients.class),
            mock(StepLifecycle.class), jobs, mock(Workspace.class), mock(ProtocolLeases.class));

    final Job stepJob = Job.create(JobType.EXECUTE_STEP_JOB, 1L, 2L, 3L, 3, "r", 0);
    final Job protocolJob = Job.create(JobType.PLAN_PROTOCOL_JOB, 1L, 2L, null, 3, "r", 0);

    ProtocolRun protocol(ProtocolStatus status) {
        ProtocolRun run = mock(ProtocolRun.class);
        when(run.id()).thenReturn(2L);
        when(run.status()).thenReturn(status);
        when(protocols.get(2L)).thenReturn(run);
        return run;
    }

    StepRun step(StepStatus status) {
        StepRun step = mock(StepRun.class);
        when(step.id()).thenReturn(3L);
        when(step.protocolRunId()).thenReturn(2L);
        when(step.status()).thenReturn(status);
        when(steps.get(3L)).thenReturn(step);
        return step;
    }

    /** Asserts a skip with {@code reason}, nothing recorded before it is run, and job_skipped once it is. */
    void assertSkipped(Precondition<?> precondition, Job job, String reason) {
        assertThat(precondition).isInstanceOf(Precondition.Skip.class);
        Precondition.Skip<?> skip = (Precondition.Skip<?>) precondition;
        assertThat(skip.reason()).isEqualTo(reason);
        verify(jobs, never()).jobSkipped(any(), anyString());
        skip.record().run();
        verify(jobs).jobSkipped(job, reason);
    }

    ExecuteStepHandler exec() {
        return new ExecuteStepHandler(scope, mock(Workspace.class), steps, mock(StepLifecycle.class), mock(Prompts.class),
                mock(EngineCalls.class), mock(ProtocolFiles.class), mock(QuestionLifecycle.class));
    }

    @Test
    void executeStepNeedsARunningStepInARunningProtocol() {
        protocol(ProtocolStatus.PAUSED);
        step(StepStatus.RUNNING);
        assertSkipped(exec().precondition(stepJob), stepJob, "protocol is paused and step is running");
    }

    @Test
    void executeStepIsReadyWithItsRowsWhenBothRun() {
        ProtocolRun run = protocol(ProtocolStatus.RUNNING);
        StepRun step = step(StepStatus.RUNNING);
        assertThat(exec().precondition(stepJob)).isEqualTo(Precondition.ready(new JobScope.StepWork(run, step)));
        verify(jobs, never()).jobSkipped(any(), anyString());
    }

    @Test
    void qualityNeedsAStepWaitingForQa() {
        protocol(ProtocolStatus.RUNNING);
        step(StepStatus.COMPLETED);
        QualityHandler qa = new QualityHandler(scope, mock(Workspace.class), mock(QaLifecycle.class),
                mock(ProtocolFiles.class), mock(QaGate.class));
        Job job = Job.create(JobType.RUN_QUALITY_JOB, 1L, 2L, 3L, 3, "r", 0);
        assertSkipped(qa.precondition(job), job, "step is completed in a running protocol");
    }

    @Test
    void planningNeedsAPlanningProtocol() {
        protocol(ProtocolStatus.CANCELLED);
        PlanProtocolHandler plan = new PlanProtocolHandler(scope, mock(Workspace.class), mock(PlanningLifecycle.class),
                mock(ProtocolFiles.class), mock(Prompts.class), mock(PlanValidator.class), mock(EngineCalls.class));
        assertSkipped(plan.precondition(protocolJob), protocolJob, "protocol is cancelled, not planning");
        protocol(ProtocolStatus.PLANNING);
        assertThat(plan.precondition(protocolJob)).isInstanceOf(Precondition.Ready.class);
    }

    @Test
    void syncAndConflictFixNeedTheirProjectsTurnAndALiveProtocol() {
        BaseSyncLifecycle syncs = mock(BaseSyncLifecycle.class);
        SyncBaseHandler sync = new SyncBaseHandler(scope, mock(Workspace.class), steps, protocols, syncs);
        ConflictFixHandler fix = new ConflictFixHandler(scope, mock(Workspace.class), steps, protocols, syncs,
                mock(Prompts.class), mock(EngineCalls.class), mock(QaGate.class));
        Job syncJob = Job.create(JobType.SYNC_BASE_JOB, 1L, 2L, null, 3, "r", 0);
        Job fixJob = Job.create(JobType.CONFLICT_FIX_JOB, 1L, 2L, null, 3, "r", 0);
        ProtocolRun run = protocol(ProtocolStatus.RUNNING);
        when(syncs.find(2L)).thenReturn(Optional.empty());
        assertSkipped(sync.precondition(syncJob), syncJob, "no base sync of this protocol is syncing");

        BaseSyncStore.Sync syncing = new BaseSyncStore.Sync(2L, 1L, BaseSyncStore.SYNCING, "push", false, false, 0, List.of(), 0);
        when(syncs.find(2L)).thenReturn(Optional.of(syncing));
        assertThat(sync.precondition(syncJob)).isEqualTo(Precondition.ready(run));
        assertThat(fix.precondition(fixJob)).isInstanceOf(Precondition.Skip.class); // its turn is a sync's, not a fix's

        when(syncs.find(2L)).thenReturn(Optional.of(new BaseSyncStore.Sync(2L, 1L, BaseSyncStore.FIXING, "push", false,
                false, 1, List.of("a.txt"), 0)));
        assertThat(fix.precondition(fixJob)).isEqualTo(Precondition.ready(run));
        protocol(ProtocolStatus.CANCELLED);
        Precondition<ProtocolRun> cancelled = fix.precondition(fixJob);
        assertThat(((Precondition.Skip<?>) cancelled).reason()).isEqualTo("protocol is cancelled");
        ((Precondition.Skip<?>) cancelled).record().run();
        verify(syncs).skipped(fixJob, "protocol is cancelled"); // the project's turn passes on
    }

    @Test
    void openPrNeedsAStartedProtocolThatIsNotCancelled() {
        protocol(ProtocolStatus.PENDING);
        OpenPrHandler pr = new OpenPrHandler(scope, mock(Workspace.class), mock(PullRequests.class), ci,
                mock(BaseSyncLifecycle.class));
        Job job = Job.create(JobType.OPEN_PR_JOB, 1L, 2L, null, 3, "r", 0);
        assertSkipped(pr.precondition(job), job, "protocol is pending");
        protocol(ProtocolStatus.COMPLETED);
        assertThat(pr.precondition(job)).isInstanceOf(Precondition.Ready.class);
    }

    @Test
    void ciTriageNeedsAFailureWaitingForTriage() {
        when(ci.ciTriageTaken(2L, false)).thenReturn(Optional.empty());
        CiTriageHandler triage = new CiTriageHandler(scope, protocols, mock(ForgeCi.class), ci);
        Job job = Job.create(JobType.CI_TRIAGE_JOB, 1L, 2L, null, 3, "r", 0);
        assertSkipped(triage.precondition(job), job, "no CI failure waits for triage");
    }

    @Test
    void aCiFixThatCannotGoAheadIsSkippedWithItsRow() {
        protocol(ProtocolStatus.PAUSED);
        StepRun step = step(StepStatus.BLOCKED);
        CiLoopStore.Fix row = mock(CiLoopStore.Fix.class);
        when(row.id()).thenReturn(9L);
        when(row.protocolRunId()).thenReturn(2L);
        when(row.stepRunId()).thenReturn(3L);
        when(ciLoop.oldest(2L, CiLoopStore.FIXING)).thenReturn(Optional.of(row));
        when(steps.allOf(2L)).thenReturn(List.of(step));
        CiFixHandler fix = new CiFixHandler(scope, mock(Workspace.class), protocols, steps, ciLoop, mock(Prompts.class),
                mock(EngineCalls.class), ci, null);
        Job job = Job.create(JobType.CI_FIX_JOB, 1L, 2L, null, 3, "r", 0);

        Precondition<CiFixHandler.Fixing> precondition = fix.precondition(job);
        assertThat(precondition).isInstanceOf(Precondition.Skip.class);
        ((Precondition.Skip<?>) precondition).record().run();
        verify(ci).ciFixSkipped(9L, job, "protocol is paused and step is blocked");
        verify(jobs, never()).jobSkipped(any(), anyString());
    }
}
