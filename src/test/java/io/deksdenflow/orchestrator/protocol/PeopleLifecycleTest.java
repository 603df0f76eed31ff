package io.deksdenflow.orchestrator.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.IllegalTransitionException;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.events.EventStore;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectLifecycle;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.SettingsSwap;
import io.deksdenflow.orchestrator.testsupport.TestTransitions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Plan approval and agent questions on SQLite, one lifecycle call at a time (api role: no worker takes
 * the jobs): what each call leaves (statuses, events, jobs, rows) and the guards — nothing starts from a
 * plan awaiting approval (auto_advance, run_next_step, a step's run, green CI), the re-plan bound, the
 * answer only to an open question, the question bound.
 */
class PeopleLifecycleTest extends ApiTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ProtocolLifecycle lifecycle;
    @Autowired
    PlanningLifecycle planning;
    @Autowired
    StepLifecycle stepLifecycle;
    @Autowired
    QuestionLifecycle questions;
    @Autowired
    CiLifecycle ciLifecycle;
    @Autowired
    ProtocolService protocolService;
    @Autowired
    StepService stepService;
    @Autowired
    ProjectLifecycle projectLifecycle;
    @Autowired
    ProtocolStore protocols;
    @Autowired
    StepStore steps;
    @Autowired
    EventStore eventStore;
    @Autowired
    NamedParameterJdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    @Test
    void aPlanAwaitingApprovalStartsNothingUntilApproved() {
        ProtocolRun p = awaiting(true, 2);
        assertThat(p.status()).isEqualTo(ProtocolStatus.AWAITING_APPROVAL);
        assertThat(p.status().api()).isEqualTo("planned");
        assertThat(p.awaitingPlanApproval()).isTrue();
        Event ready = last(p.id(), "plan_ready");
        assertThat(ready.metadata().get("steps")).asList().hasSize(2);
        assertThat(ready.metadata()).containsKeys("tokens_used", "cost_usd");
        assertThat(types(p.id())).doesNotContain("planned", "step_started");
        assertThat(jobs(p.id())).containsExactly("plan_protocol_job"); // auto_advance started nothing

        // no way to start a step: the protocol's actions, a step's action, green CI with auto QA
        for (ProtocolAction a : List.of(ProtocolAction.START, ProtocolAction.RUN_NEXT_STEP, ProtocolAction.RETRY_LATEST,
                ProtocolAction.OPEN_PR, ProtocolAction.RESUME)) {
            assertThatThrownBy(() -> lifecycle.act(p.id(), a)).isInstanceOf(IllegalTransitionException.class);
        }
        StepRun first = steps.allOf(p.id()).get(0);
        assertThatThrownBy(() -> lifecycle.stepAct(first.id(), StepAction.RUN)).isInstanceOf(ConflictException.class);
        assertThat(StepTransitions.allowedActions(first, ProtocolStatus.AWAITING_APPROVAL)).isEmpty();
        SettingsSwap.set(context, AutomationSettings.class, AutomationSettings.defaults().withAutoQaOnCi(true));
        try {
            ciLifecycle.ciResult(p.id(), new CiResult(CiResult.SUCCESS, null, "github", null, null, null, null,
                    "github 'build'", null, "pull request", false, new LinkedHashMap<>(Map.of("provider", "github"))));
        } finally {
            SettingsSwap.reset(context, AutomationSettings.class);
        }
        assertThat(steps.allOf(p.id())).allMatch(s -> s.status() == StepStatus.PENDING);
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.AWAITING_APPROVAL);
        assertThat(jobs(p.id())).containsExactly("plan_protocol_job");

        // a pause keeps it waiting; resume returns to the wait, not to the steps
        lifecycle.act(p.id(), ProtocolAction.PAUSE);
        assertThat(protocols.get(p.id()).awaitingPlanApproval()).isTrue();
        lifecycle.act(p.id(), ProtocolAction.RESUME);
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.AWAITING_APPROVAL);
        assertThat(jobs(p.id())).containsExactly("plan_protocol_job");

        var approved = lifecycle.act(p.id(), ProtocolAction.APPROVE_PLAN);
        assertThat(approved.entity().status()).isEqualTo(ProtocolStatus.RUNNING); // auto_advance: its first step started
        assertThat(types(p.id())).contains("plan_approved", "step_started");
        assertThat(jobs(p.id())).containsExactly("plan_protocol_job", "execute_step_job");
        assertThatThrownBy(() -> lifecycle.act(p.id(), ProtocolAction.APPROVE_PLAN)).isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void withoutAutoAdvanceAnApprovedPlanIsPlannedAndWaitsForStart() {
        ProtocolRun p = awaiting(false, 1);
        lifecycle.act(p.id(), ProtocolAction.APPROVE_PLAN);
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.PLANNED);
        assertThat(jobs(p.id())).containsExactly("plan_protocol_job");
    }

    @Test
    void anAutoPlanIsPlannedAtOnce() {
        ProtocolRun p = created(false, null);
        lifecycle.act(p.id(), ProtocolAction.START);
        planning.planned(p.id(), plan(1), Map.of(), false);
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.PLANNED);
        assertThat(types(p.id())).contains("planned").doesNotContain("plan_ready");
        assertThatThrownBy(() -> lifecycle.act(p.id(), ProtocolAction.APPROVE_PLAN)).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> protocolService.rejectPlan(p.id(), "no")).isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void rejectPlanKeepsTheFeedbackRemovesTheStepsAndIsBounded() {
        ProtocolRun p = awaiting(true, 2);
        assertThatThrownBy(() -> protocolService.rejectPlan(p.id(), " ")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> lifecycle.act(p.id(), ProtocolAction.REJECT_PLAN)).isInstanceOf(ValidationException.class);
        int attempts = context.getBean(PeopleSettings.class).replanAttempts();
        assertThat(attempts).isEqualTo(3);
        for (int i = 1; i <= attempts; i++) {
            var r = protocolService.rejectPlan(p.id(), "feedback " + i);
            assertThat(r.entity().status()).isEqualTo(ProtocolStatus.PLANNING);
            assertThat(r.entity().planFeedback()).isEqualTo("feedback " + i);
            assertThat(r.entity().replans()).isEqualTo(i);
            assertThat(steps.allOf(p.id())).isEmpty();
            Event rejected = last(p.id(), "plan_rejected");
            assertThat(rejected.metadata().get("feedback")).isEqualTo("feedback " + i);
            assertThat(rejected.metadata().get("previous_plan")).asList().hasSize(i == 1 ? 2 : 1);
            planning.planned(p.id(), plan(1), Map.of(), true);
            assertThat(protocols.get(p.id()).planFeedback()).isNull(); // read by the plan that followed
        }
        assertThatThrownBy(() -> protocolService.rejectPlan(p.id(), "one more"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("DEKSDENFLOW_REPLAN_ATTEMPTS=3");
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.AWAITING_APPROVAL);
        assertThat(jobs(p.id()).stream().filter("plan_protocol_job"::equals).count()).isEqualTo(1 + attempts);
    }

    @Test
    void aPlanningQuestionMakesThePlanWaitEvenWithAuto() {
        ProtocolRun p = created(true, null);
        lifecycle.act(p.id(), ProtocolAction.START);
        planning.planned(p.id(), plan(1), Map.of("question", "Which database?"), false);
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.AWAITING_APPROVAL);
        assertThat(last(p.id(), "agent_question").metadata().get("question")).isEqualTo("Which database?");
    }

    @Test
    void aQuestionBlocksTheStepWithNeedsInputAndTheAnswerRunsItAgain() {
        ProtocolRun p = running();
        StepRun s = steps.allOf(p.id()).get(0);
        assertThatThrownBy(() -> stepService.answer(s.id(), "too early")).isInstanceOf(IllegalTransitionException.class);
        questions.asked(s.id(), "Which colour?", Map.of("run_id", 1));
        StepRun blocked = steps.get(s.id());
        assertThat(blocked.status()).isEqualTo(StepStatus.BLOCKED);
        assertThat(blocked.blockedReason()).isEqualTo(StepRun.NEEDS_INPUT);
        assertThat(blocked.openQuestion()).map(StepQuestion::question).contains("Which colour?");
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.BLOCKED);
        Event asked = last(p.id(), "agent_question");
        assertThat(asked.stepRunId()).isEqualTo(s.id());
        assertThat(asked.metadata()).containsEntry("question", "Which colour?").containsEntry("step", s.stepName())
                .containsEntry("blocked_reason", "needs_input");
        assertThat(StepTransitions.allowedActions(blocked, ProtocolStatus.BLOCKED)).contains("answer");
        assertThatThrownBy(() -> stepService.answer(s.id(), "")).isInstanceOf(ValidationException.class);

        var r = stepService.answer(s.id(), "Blue");
        assertThat(r.entity().status()).isEqualTo(StepStatus.RUNNING);
        assertThat(r.entity().blockedReason()).isNull();
        assertThat(r.entity().questions()).singleElement().satisfies(q -> {
            assertThat(q.answer()).isEqualTo("Blue");
            assertThat(q.answeredAt()).isNotNull();
        });
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.RUNNING);
        assertThat(last(p.id(), "question_answered").metadata()).containsEntry("answer", "Blue");
        assertThat(jobs(p.id()).get(jobs(p.id()).size() - 1)).isEqualTo("execute_step_job");
        // a blocked step without an open question takes no answer
        assertThatThrownBy(() -> stepService.answer(s.id(), "again")).isInstanceOf(ConflictException.class);
    }

    @Test
    void aStepBlockedForAnotherReasonTakesNoAnswer() {
        ProtocolRun p = running();
        StepRun s = TestTransitions.step(steps, steps.allOf(p.id()).get(0), StepAction.BLOCK);
        assertThat(StepTransitions.allowedActions(s, ProtocolStatus.RUNNING)).contains("run").doesNotContain("answer");
        assertThatThrownBy(() -> stepService.answer(s.id(), "unasked"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("no question waiting");
        assertThat(steps.get(s.id()).status()).isEqualTo(StepStatus.BLOCKED);
        assertThat(jobs(p.id()).stream().filter("execute_step_job"::equals).count()).isEqualTo(1);
    }

    @Test
    void aQuestionBeyondTheBoundFailsTheStepWithTheReason() {
        ProtocolRun p = running();
        StepRun s = steps.allOf(p.id()).get(0);
        for (int i = 1; i <= 3; i++) {
            questions.asked(s.id(), "q" + i, Map.of());
            stepService.answer(s.id(), "a" + i);
        }
        questions.asked(s.id(), "q4", Map.of());
        StepRun failed = steps.get(s.id());
        assertThat(failed.status()).isEqualTo(StepStatus.FAILED);
        assertThat(failed.lastError()).contains("DEKSDENFLOW_QUESTIONS_PER_STEP=3").contains("q4");
        assertThat(failed.questions()).hasSize(3);
        assertThat(failed.blockedReason()).isNull();
        assertThat(protocols.get(p.id()).status()).isEqualTo(ProtocolStatus.BLOCKED);
        assertThat(types(p.id()).stream().filter("agent_question"::equals).count()).isEqualTo(3);
    }

    @Test
    void aQuestionOfAStepThatStoppedRunningChangesNothing() {
        ProtocolRun p = running();
        StepRun s = steps.allOf(p.id()).get(0);
        lifecycle.act(p.id(), ProtocolAction.CANCEL);
        questions.asked(s.id(), "late?", Map.of());
        assertThat(steps.get(s.id()).questions()).isEmpty();
        assertThat(types(p.id())).doesNotContain("agent_question");
    }

    // ------------------------------------------------------------ helpers

    private ProtocolRun created(boolean autoAdvance, String planApproval) {
        String name = "pl-" + UUID.randomUUID().toString().substring(0, 8);
        Project project = projectLifecycle.created(new ProjectStore.NewProject(name, "https://github.com/acme/" + name + ".git",
                "main", null, null, Map.of(), Map.of(), null)).entity();
        return lifecycle.created(new ProtocolStore.NewProtocol(project.id(), "0001-" + UUID.randomUUID().toString().substring(0, 8),
                null, "main", null, autoAdvance, null, null, null, null, planApproval));
    }

    private static List<PlanningLifecycle.PlannedStep> plan(int n) {
        List<PlanningLifecycle.PlannedStep> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new PlanningLifecycle.PlannedStep(String.format("%02d-step.md", i), StepType.WORK));
        return out;
    }

    /** Planned with approval required: the plan of {@code n} steps waits. */
    private ProtocolRun awaiting(boolean autoAdvance, int n) {
        ProtocolRun p = created(autoAdvance, "required");
        lifecycle.act(p.id(), ProtocolAction.START);
        planning.planned(p.id(), plan(n), Map.of("step_count", n), true);
        return protocols.get(p.id());
    }

    /** Planned (auto), its first step running. */
    private ProtocolRun running() {
        ProtocolRun p = created(false, null);
        lifecycle.act(p.id(), ProtocolAction.START);
        planning.planned(p.id(), plan(2), Map.of(), false);
        lifecycle.act(p.id(), ProtocolAction.RUN_NEXT_STEP);
        return protocols.get(p.id());
    }

    private List<Event> events(long protocolId) {
        List<Event> out = new ArrayList<>(eventStore.byProtocol(protocolId, null, 500).items());
        Collections.reverse(out);
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
}
