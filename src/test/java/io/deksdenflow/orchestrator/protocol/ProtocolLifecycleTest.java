package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.IllegalTransitionException;
import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.dispatch.ActionResult;
import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.events.EventStore;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectLifecycle;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.SettingsSwap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The protocol lifecycle's phase classes ({@link ProtocolLifecycle}, {@link PlanningLifecycle},
 * {@link StepLifecycle}, {@link QaLifecycle}, {@link CiLifecycle}, {@link BudgetLifecycle},
 * {@link JobLifecycle}) on SQLite (api role: no worker takes the jobs, so statuses stay where each call
 * put them): every domain change leaves its status, its events and its next job, and nothing else.
 */
class ProtocolLifecycleTest extends ApiTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ProtocolLifecycle lifecycle;
    @Autowired
    PlanningLifecycle planning;
    @Autowired
    StepLifecycle stepLifecycle;
    @Autowired
    QaLifecycle qa;
    @Autowired
    CiLifecycle ciLifecycle;
    @Autowired
    BudgetLifecycle budgets;
    @Autowired
    JobLifecycle jobLifecycle;
    @Autowired
    ProjectLifecycle projectLifecycle;
    @Autowired
    ProtocolStore protocols;
    @Autowired
    StepStore steps;
    @Autowired
    CiLoopStore ciLoop;
    @Autowired
    EventStore eventStore;
    @Autowired
    NamedParameterJdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    // ------------------------------------------------------------ helpers

    private Project project(Map<String, String> secrets, String ciProvider) {
        String name = unique("lc");
        return projectLifecycle.created(new ProjectStore.NewProject(name, "https://github.com/acme/" + name + ".git", "main",
                ciProvider, null, Map.of(), secrets, null)).entity();
    }

    private ProtocolRun created(boolean autoAdvance) {
        Project p = project(Map.of(), null);
        return lifecycle.created(new ProtocolStore.NewProtocol(p.id(), "0001-" + UUID.randomUUID().toString().substring(0, 8),
                null, "main", null, autoAdvance));
    }

    /** Planned with {@code n} steps (00-.., 01-..), through the lifecycle. */
    private ProtocolRun planned(boolean autoAdvance, int n) {
        ProtocolRun p = created(autoAdvance);
        lifecycle.act(p.id(), ProtocolAction.START);
        List<PlanningLifecycle.PlannedStep> plan = new ArrayList<>();
        for (int i = 0; i < n; i++) plan.add(new PlanningLifecycle.PlannedStep(String.format("%02d-step.md", i), StepType.WORK));
        planning.planned(p.id(), plan, Map.of("step_count", n));
        return protocols.get(p.id());
    }

    /** A running protocol whose first step was executed as {@code sha} (needs_qa). */
    private StepRun executed(ProtocolRun p, String sha) {
        StepRun first = steps.allOf(p.id()).get(0);
        lifecycle.act(p.id(), ProtocolAction.RUN_NEXT_STEP);
        stepLifecycle.stepExecuted(first.id(), sha, Map.of("commit", sha));
        return steps.get(first.id());
    }

    private List<Event> events(long protocolId) {
        List<Event> out = new ArrayList<>(eventStore.byProtocol(protocolId, null, 500).items());
        java.util.Collections.reverse(out);
        return out;
    }

    private List<String> types(long protocolId) {
        return events(protocolId).stream().map(Event::eventType).toList();
    }

    private Event last(long protocolId, String type) {
        List<Event> all = events(protocolId).stream().filter(e -> e.eventType().equals(type)).toList();
        assertThat(all).as("events of type " + type).isNotEmpty();
        return all.get(all.size() - 1);
    }

    /** The job types enqueued (outbox rows) for a protocol, oldest first. */
    private List<String> jobs(long protocolId) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("SELECT job_type, payload FROM outbox ORDER BY id", Map.of())) {
            try {
                JsonNode j = JSON.readTree((String) row.get("payload"));
                long id = j.path(j.has("protocol_run_id") ? "protocol_run_id" : "protocolRunId").asLong();
                if (id == protocolId) out.add((String) row.get("job_type"));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static Job job(JobType type, ProtocolRun p, Long stepId) {
        return Job.create(type, p.projectId(), p.id(), stepId, 3, null, System.currentTimeMillis());
    }

    private static CiResult ci(String status, String prState, String sha, String provider, String token) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("provider", provider);
        if (status != null) meta.put("ci_status", status);
        if (sha != null) meta.put("head_sha", sha);
        return new CiResult(status, prState, provider, sha, null, null, null, provider + " 'build'", token,
                "gitlab".equals(provider) ? "merge request" : "pull request", false, meta);
    }

    // ------------------------------------------------------------ the API's actions

    @Test
    void createdIsPendingWithItsEvent() {
        ProtocolRun p = created(false);
        assertThat(p.status()).isEqualTo(ProtocolStatus.PENDING);
        assertThat(types(p.id())).containsExactly("protocol_created");
        assertThat(jobs(p.id())).isEmpty();
    }

    @Test
    void startPlansWithOneEventAndOnePlanningJob() {
        ProtocolRun p = created(false);
        ActionResult<ProtocolRun> r = lifecycle.act(p.id(), ProtocolAction.START);
        assertThat(r.entity().status()).isEqualTo(ProtocolStatus.PLANNING);
        assertThat(r.job().type()).isEqualTo(JobType.PLAN_PROTOCOL_JOB);
        assertThat(types(p.id())).containsExactly("protocol_created", "protocol_started");
        assertThat(last(p.id(), "protocol_started").metadata()).containsEntry("from", "pending").containsEntry("to", "planning");
        assertThat(jobs(p.id())).containsExactly("plan_protocol_job");
    }

    @Test
    void anActionTheTableRefusesChangesNothing() {
        ProtocolRun p = created(false);
        assertThatThrownBy(() -> lifecycle.act(p.id(), ProtocolAction.RESUME)).isInstanceOf(IllegalTransitionException.class);
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.PENDING);
        assertThat(types(p.id())).containsExactly("protocol_created");
        assertThat(jobs(p.id())).isEmpty();
    }

    @Test
    void cancelCancelsEveryOpenStepInTheSameChange() {
        ProtocolRun p = planned(false, 2);
        lifecycle.act(p.id(), ProtocolAction.CANCEL);
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.CANCELLED);
        assertThat(steps.allOf(p.id())).extracting(StepRun::status).containsOnly(StepStatus.CANCELLED);
        assertThat(types(p.id())).endsWith("step_cancelled", "step_cancelled", "protocol_cancelled");
    }

    @Test
    void stepCreatedIsRefusedOnAFinishedProtocol() {
        ProtocolRun p = created(false);
        StepRun s = lifecycle.stepCreated(p.id(), 0, "00-a.md", StepType.WORK);
        assertThat(last(p.id(), "step_created").stepRunId()).isEqualTo(s.id());
        lifecycle.act(p.id(), ProtocolAction.CANCEL);
        assertThatThrownBy(() -> lifecycle.stepCreated(p.id(), 1, "01-b.md", StepType.WORK))
                .isInstanceOf(io.deksdenflow.orchestrator.common.ConflictException.class);
    }

    // ------------------------------------------------------------ planning and execution

    @Test
    void plannedCreatesTheStepsAndAutoAdvanceStartsTheFirst() {
        ProtocolRun p = planned(true, 2);
        assertThat(p.status()).isEqualTo(ProtocolStatus.RUNNING);
        List<StepRun> all = steps.allOf(p.id());
        assertThat(all).extracting(StepRun::stepName).containsExactly("00-step.md", "01-step.md");
        assertThat(all).extracting(StepRun::status).containsExactly(StepStatus.RUNNING, StepStatus.PENDING);
        assertThat(types(p.id())).containsExactly("protocol_created", "protocol_started", "planned", "protocol_running",
                "step_started");
        assertThat(jobs(p.id())).containsExactly("plan_protocol_job", "execute_step_job");
    }

    @Test
    void plannedAfterAPauseChangesNothing() {
        ProtocolRun p = created(false);
        lifecycle.act(p.id(), ProtocolAction.START);
        lifecycle.act(p.id(), ProtocolAction.PAUSE);
        planning.planned(p.id(), List.of(new PlanningLifecycle.PlannedStep("00-a.md", StepType.WORK)), Map.of());
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.PAUSED);
        assertThat(steps.allOf(p.id())).isEmpty();
        assertThat(types(p.id())).doesNotContain("planned");
    }

    @Test
    void anInvalidPlanBlocksWithItsReason() {
        ProtocolRun p = created(false);
        lifecycle.act(p.id(), ProtocolAction.START);
        planning.planInvalid(p.id(), "no steps", Map.of("field", "steps"));
        ProtocolRun after = protocols.get(p.id());
        assertThat(after.status()).isEqualTo(ProtocolStatus.BLOCKED);
        assertThat(after.lastError()).isEqualTo("the planning answer was rejected: no steps");
        assertThat(last(p.id(), "plan_invalid").metadata()).containsEntry("to", "blocked").containsEntry("field", "steps");
    }

    @Test
    void stepExecutedNeedsQaAndEnqueuesQaOnlyWhenConfigured() {
        ProtocolRun p = planned(false, 2);
        StepRun s = executed(p, "aaa111");
        assertThat(s.status()).isEqualTo(StepStatus.NEEDS_QA);
        assertThat(s.executionCommit()).isEqualTo("aaa111");
        assertThat(last(p.id(), "step_executed").metadata()).containsEntry("to", "needs_qa");
        assertThat(jobs(p.id())).containsExactly("plan_protocol_job", "execute_step_job");

        SettingsSwap.set(context, AutomationSettings.class, AutomationSettings.defaults().withAutoQaAfterExec(true));
        try {
            StepRun second = steps.allOf(p.id()).get(1);
            lifecycle.stepAct(second.id(), StepAction.RUN);
            stepLifecycle.stepExecuted(second.id(), "bbb222", Map.of());
            assertThat(jobs(p.id())).endsWith("execute_step_job", "run_quality_job");
        } finally {
            SettingsSwap.reset(context, AutomationSettings.class);
        }
    }

    @Test
    void stepExecutedOfAStepThatStoppedRunningChangesNothing() {
        ProtocolRun p = planned(false, 1);
        StepRun s = steps.allOf(p.id()).get(0);
        lifecycle.act(p.id(), ProtocolAction.RUN_NEXT_STEP);
        lifecycle.act(p.id(), ProtocolAction.PAUSE);
        stepLifecycle.stepExecuted(s.id(), "ccc333", Map.of());
        assertThat(steps.get(s.id()).status()).isEqualTo(StepStatus.RUNNING);
        assertThat(types(p.id())).doesNotContain("step_executed");
    }

    @Test
    void concurrentReportsOfOneExecutionRecordItOnce() throws Exception {
        ProtocolRun p = planned(false, 1);
        StepRun s = steps.allOf(p.id()).get(0);
        lifecycle.act(p.id(), ProtocolAction.RUN_NEXT_STEP);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String sha = "sha" + i;
                done.add(pool.submit(() -> stepLifecycle.stepExecuted(s.id(), sha, Map.of())));
            }
            for (java.util.concurrent.Future<?> f : done) f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        StepRun after = steps.get(s.id());
        assertThat(after.status()).isEqualTo(StepStatus.NEEDS_QA);
        assertThat(types(p.id()).stream().filter("step_executed"::equals).count()).isEqualTo(1);
        assertThat(last(p.id(), "step_executed").message()).isEqualTo("step 00-step.md executed");
        assertThat(after.executionCommit()).startsWith("sha");
    }

    // ------------------------------------------------------------ QA

    @Test
    void qaPassOnTheLastStepCompletesTheProtocol() {
        ProtocolRun p = planned(false, 1);
        StepRun s = executed(p, "ddd444");
        qa.qaVerdict(s.id(), new QaLifecycle.QaVerdict(true, "pass", "agent", null, "ok", List.of(), "report"),
                Map.of("verdict", "PASS"));
        assertThat(steps.get(s.id()).status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(steps.get(s.id()).qaVerdict()).isEqualTo("pass");
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.COMPLETED);
        assertThat(types(p.id())).endsWith("qa_passed", "protocol_completed");
    }

    @Test
    void qaFailFailsTheStepAndBlocksTheProtocol() {
        ProtocolRun p = planned(false, 2);
        StepRun s = executed(p, "eee555");
        qa.qaVerdict(s.id(), new QaLifecycle.QaVerdict(false, "fail", "checks", "tests failed", "bad",
                List.of("tests failed"), "report"), Map.of());
        assertThat(steps.get(s.id()).status()).isEqualTo(StepStatus.FAILED);
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.BLOCKED);
        assertThat(last(p.id(), "qa_failed").metadata()).containsEntry("failed_checks", List.of("tests failed"));
        assertThat(types(p.id())).endsWith("qa_failed", "protocol_blocked");
    }

    // ------------------------------------------------------------ budget and job failures

    @Test
    void aStrictBudgetBlocksOnce() {
        ProtocolRun p = planned(false, 1);
        StepRun s = steps.allOf(p.id()).get(0);
        lifecycle.act(p.id(), ProtocolAction.RUN_NEXT_STEP);
        Job job = job(JobType.EXECUTE_STEP_JOB, p, s.id());
        budgets.budgetExceeded(job, "protocol token budget exceeded", Map.of("mode", "strict"), Map.of("job_id", job.jobId()));
        assertThat(steps.get(s.id()).status()).isEqualTo(StepStatus.BLOCKED);
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.BLOCKED);
        List<String> types = types(p.id());
        assertThat(types).endsWith("step_blocked", "budget_exceeded", "protocol_blocked", "job_failed");
        assertThat(types.stream().filter("protocol_blocked"::equals).count()).isEqualTo(1);
    }

    @Test
    void aBudgetPauseHoldsTheProtocolAndRaiseBudgetResumesTheInterruptedStep() {
        ProtocolRun p = planned(false, 1);
        StepRun s = steps.allOf(p.id()).get(0);
        lifecycle.act(p.id(), ProtocolAction.RUN_NEXT_STEP);
        Map<String, Object> hold = new LinkedHashMap<>();
        hold.put("limit", "max_tokens_per_protocol");
        hold.put("phase", "exec");
        hold.put("step_run_id", s.id());
        budgets.budgetPaused(p.id(), s.id(), "over", Map.of("mode", "pause"), hold);
        ProtocolRun paused = protocols.get(p.id());
        assertThat(paused.status()).isEqualTo(ProtocolStatus.PAUSED);
        assertThat(paused.budgetHold()).containsEntry("limit", "max_tokens_per_protocol");
        assertThat(types(p.id())).endsWith("budget_exceeded", "protocol_paused");

        assertThatThrownBy(() -> lifecycle.raiseBudget(p.id(), 0L, null)).isInstanceOf(ValidationException.class);
        ActionResult<ProtocolRun> r = lifecycle.raiseBudget(p.id(), 1_000_000L, null);
        assertThat(r.entity().status()).isEqualTo(ProtocolStatus.RUNNING);
        assertThat(r.entity().budgetHold()).isNull();
        assertThat(r.job().type()).isEqualTo(JobType.EXECUTE_STEP_JOB);
        assertThat(types(p.id())).endsWith("budget_raised", "protocol_resumed");
    }

    @Test
    void aFinalJobFailureFailsTheStepAndBlocksTheProtocol() {
        ProtocolRun p = planned(false, 1);
        StepRun s = steps.allOf(p.id()).get(0);
        lifecycle.act(p.id(), ProtocolAction.RUN_NEXT_STEP);
        jobLifecycle.jobFailed(job(JobType.EXECUTE_STEP_JOB, p, s.id()), new JobFailure("boom"), Map.of("error", "boom"));
        assertThat(steps.get(s.id()).status()).isEqualTo(StepStatus.FAILED);
        assertThat(steps.get(s.id()).lastError()).isEqualTo("boom");
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.BLOCKED);
        assertThat(protocols.get(p.id()).lastError()).isEqualTo("execute_step_job failed: boom");
        assertThat(types(p.id())).endsWith("job_failed", "step_failed", "protocol_blocked");
    }

    @Test
    void aFailedOpenPrJobOnlyLeavesItsError() {
        ProtocolRun p = planned(false, 1);
        lifecycle.act(p.id(), ProtocolAction.OPEN_PR);
        jobLifecycle.jobFailed(job(JobType.OPEN_PR_JOB, p, null), new JobFailure("no token"), Map.of());
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.PLANNED);
        assertThat(protocols.get(p.id()).lastError()).isEqualTo("open_pr_job failed: no token");
        assertThat(types(p.id())).endsWith("open_pr_requested", "job_failed");
    }

    @Test
    void prOpenedKeepsUrlAndNumber() {
        ProtocolRun p = planned(false, 1);
        ciLifecycle.prOpened(p.id(), "https://gitlab.example.com/a/b/-/merge_requests/7", 7L, "gitlab", "MR");
        assertThat(protocols.get(p.id()).prUrl()).endsWith("/7");
        assertThat(ciLoop.prNumber(p.id())).contains(7L);
        assertThat(last(p.id(), "pr_opened").message()).startsWith("draft MR open:");
    }

    // ------------------------------------------------------------ CI

    @Test
    void aCiFailureWithoutForgeTokenBlocksStepAndProtocol() {
        ProtocolRun p = planned(false, 2);
        StepRun s = executed(p, "fff666");
        CiResult.Applied a = ciLifecycle.ciResult(p.id(), ci(CiResult.FAILURE, null, "fff666", "github", "GITHUB_TOKEN"));
        assertThat(a.action()).isEqualTo("blocked");
        assertThat(a.stepRunId()).isEqualTo(s.id());
        assertThat(steps.get(s.id()).status()).isEqualTo(StepStatus.BLOCKED);
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.BLOCKED);
        assertThat(types(p.id())).endsWith("step_blocked", "ci_failed");
    }

    @Test
    void aCiFailureTheForgeCanExplainIsClaimedOnceForTriage() {
        Project project = project(Map.of("GITHUB_TOKEN", "t"), "github");
        ProtocolRun p = lifecycle.created(new ProtocolStore.NewProtocol(project.id(), "0002-triage", null, "main", null, false));
        lifecycle.act(p.id(), ProtocolAction.START);
        planning.planned(p.id(), List.of(new PlanningLifecycle.PlannedStep("00-a.md", StepType.WORK)), Map.of());
        StepRun s = executed(protocols.get(p.id()), "abc777");
        CiResult failure = ci(CiResult.FAILURE, null, "abc777", "github", "GITHUB_TOKEN");
        assertThat(ciLifecycle.ciResult(p.id(), failure).action()).isEqualTo("triage_queued");
        assertThat(ciLifecycle.ciResult(p.id(), failure).action()).isEqualTo("recorded");
        assertThat(steps.get(s.id()).status()).isEqualTo(StepStatus.NEEDS_QA);
        assertThat(types(p.id())).endsWith("ci_triage_queued", "ci_failure_repeated");
        assertThat(jobs(p.id())).endsWith("ci_triage_job");

        CiLoopStore.Fix taken = ciLifecycle.ciTriageTaken(p.id(), false).orElseThrow();
        assertThat(taken.status()).isEqualTo(CiLoopStore.TRIAGING);
        assertThat(ciLifecycle.ciTriageTaken(p.id(), false)).isEmpty();
        ciLifecycle.ciTriaged(taken.id(), List.of(Map.of("job", "build")), false, null);
        assertThat(steps.get(s.id()).status()).isEqualTo(StepStatus.BLOCKED);
        assertThat(ciLoop.get(taken.id()).status()).isEqualTo(CiLoopStore.FIXING);
        assertThat(jobs(p.id())).endsWith("ci_fix_job");

        ciLifecycle.ciFixPushed(taken.id(), "fix888", "pushed", Map.of());
        assertThat(ciLoop.get(taken.id()).status()).isEqualTo(CiLoopStore.PUSHED);
        assertThat(steps.get(s.id()).executionCommit()).isEqualTo("fix888");
    }

    @Test
    void aCiSuccessWithAutoQaMovesTheStepToQa() {
        ProtocolRun p = planned(false, 2);
        StepRun s = executed(p, "999aaa");
        SettingsSwap.set(context, AutomationSettings.class, AutomationSettings.defaults().withAutoQaOnCi(true));
        try {
            CiResult.Applied a = ciLifecycle.ciResult(p.id(), ci(CiResult.SUCCESS, null, "999aaa", "gitlab", "GITLAB_TOKEN"));
            assertThat(a.action()).isEqualTo("qa_enqueued");
        } finally {
            SettingsSwap.reset(context, AutomationSettings.class);
        }
        assertThat(last(p.id(), "ci_passed").metadata()).containsEntry("auto_qa", true).containsEntry("to", "needs_qa");
        assertThat(jobs(p.id())).endsWith("run_quality_job");
        assertThat(steps.get(s.id()).status()).isEqualTo(StepStatus.NEEDS_QA);
    }

    @Test
    void aMergedPrCompletesAndAFinishedProtocolIgnoresCi() {
        ProtocolRun p = planned(false, 1);
        CiResult.Applied merged = ciLifecycle.ciResult(p.id(), ci(null, CiResult.PR_MERGED, null, "github", null));
        assertThat(merged.action()).isEqualTo("completed");
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.COMPLETED);
        CiResult.Applied late = ciLifecycle.ciResult(p.id(), ci(CiResult.FAILURE, null, "123", "github", null));
        assertThat(late.action()).isEqualTo("ignored_terminal");
        assertThat(types(p.id())).endsWith("pr_merged", "ci_ignored_terminal");
        CiResult.Applied refused = ciLifecycle.ciRefused(p.id(), ci(CiResult.FAILURE, null, "123", "github", null), "409");
        assertThat(refused.action()).isEqualTo("refused");
        assertThat(last(p.id(), "ci_ignored").metadata()).containsEntry("ignored", true);
    }

    @Test
    void aResultForAnOlderCommitIsSuperseded() {
        ProtocolRun p = planned(false, 1);
        executed(p, "111");
        stepLifecycle.pushed(p.id(), "222");
        CiResult.Applied a = ciLifecycle.ciResult(p.id(), ci(CiResult.FAILURE, null, "111", "github", null));
        assertThat(a.action()).isEqualTo("superseded");
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.RUNNING);
    }
}
