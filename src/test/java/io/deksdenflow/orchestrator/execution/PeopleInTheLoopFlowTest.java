package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 24 over HTTP, git (file:// origin), Redis, workers and the stand-in agent, whose own log of the
 * prompts it received ({@code prompt_log}) shows what each run saw: a plan that waits for approval
 * (nothing runs before it, reject with feedback plans again with the feedback, approve runs to the
 * end), and an agent that asks (the step waits with needs_input, the answer's run sees the question and
 * the answer, the question bound fails the step).
 */
@TestPropertySource(properties = "deksdenflow.auto-qa-after-exec=true")
class PeopleInTheLoopFlowTest extends FlowTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    Workspace workspace;

    @Test
    void aRequiredPlanWaitsRejectPlansAgainWithTheFeedbackAndApproveRuns() {
        Path log = promptLog("plan-approval");
        agentScript(script("{\"planning\":\"plan\",\"exec\":\"exec-nocommit\",\"qa\":\"qa-pass\"}", 2, log));
        Http http = http();
        String url = origin("approval");
        JsonNode project = readyProject(http, url, Map.of("plan_approval", "required"));
        assertThat(project.path("plan_approval").asText()).isEqualTo("required");
        long id = http.post("/projects/" + project.path("id").asLong() + "/protocols",
                Map.of("protocol_name", "0001-approve-me", "description", "Add a login page", "auto_advance", true))
                .json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);

        JsonNode waiting = awaitPlanReady(http, id, 1);
        assertThat(waiting.path("status").asText()).isEqualTo("planned");
        assertThat(waiting.path("awaiting_plan_approval").asBoolean()).isTrue();
        assertThat(waiting.path("allowed_actions")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("approve_plan", "reject_plan", "pause", "cancel");
        JsonNode ready = event(http, id, "plan_ready").path("metadata");
        assertThat(ready.path("steps").size()).isEqualTo(2);
        assertThat(ready.path("tokens_used").asLong()).isPositive();
        assertThat(ready.has("cost_usd")).isTrue();
        assertThat(ready.path("plan_md").asText()).contains("## Steps");

        // nothing runs before approval, whoever asks: auto_advance is on, and run_next_step, start and a step's run are refused
        assertThat(http.post("/protocols/" + id + "/actions/run_next_step", null).status()).isEqualTo(409);
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(409);
        long firstStep = steps(http, id).get(0).path("id").asLong();
        assertThat(http.post("/steps/" + firstStep + "/actions/run", null).status()).isEqualTo(409);
        assertNothingRan(http, id, log);

        // reject: feedback is required; with it, planning runs again and sees the feedback and the rejected plan
        assertThat(http.post("/protocols/" + id + "/actions/reject_plan", Map.of()).status()).isEqualTo(422);
        agentScript(script("{\"planning\":\"plan\",\"exec\":\"exec-nocommit\",\"qa\":\"qa-pass\"}", 1, log));
        Http.Response rejected = http.post("/protocols/" + id + "/actions/reject_plan",
                Map.of("feedback", "One step is enough; FEEDBACK-7f3 keep it small"));
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(202);
        assertThat(rejected.json().path("protocol").path("status").asText()).isEqualTo("planning");
        JsonNode second = awaitPlanReady(http, id, 2);
        assertThat(second.path("replans").asInt()).isEqualTo(1);
        JsonNode rejection = event(http, id, "plan_rejected").path("metadata");
        assertThat(rejection.path("feedback").asText()).contains("FEEDBACK-7f3");
        assertThat(rejection.path("previous_plan").size()).isEqualTo(2);
        List<JsonNode> planning = prompts(log, "planning");
        assertThat(planning).hasSize(2);
        assertThat(planning.get(0).path("prompt").asText()).doesNotContain("FEEDBACK-7f3");
        assertThat(planning.get(1).path("prompt").asText()).contains("FEEDBACK-7f3").contains("00-setup.md", "01-step-1.md");
        assertThat(event(http, id, "plan_ready").path("metadata").path("feedback").asText()).contains("FEEDBACK-7f3");
        // the second plan replaced the first: one step, on the branch too
        assertThat(steps(http, id)).hasSize(1);
        assertThat(TestRepos.gitBare(TestRepos.originPath(url), "ls-tree", "-r", "--name-only", "0001-approve-me"))
                .contains(".protocols/0001-approve-me/00-setup.md").doesNotContain("01-step-1.md");
        assertNothingRan(http, id, log);

        // approve: auto_advance runs the plan to the end
        Http.Response approved = http.post("/protocols/" + id + "/actions/approve_plan", null);
        assertThat(approved.status()).as(approved.body()).isEqualTo(202);
        awaitProtocol(http, id, "completed");
        assertThat(eventTypes(http, id)).contains("plan_approved", "step_executed", "protocol_completed");
        assertThat(prompts(log, "exec")).hasSize(1);
        assertThat(http.post("/protocols/" + id + "/actions/approve_plan", null).status()).isEqualTo(409);
    }

    @Test
    void aProtocolsOwnSettingOverridesTheProjectsAndAutoRunsAtOnce() {
        Path log = promptLog("override");
        agentScript(script("{\"planning\":\"plan\",\"exec\":\"exec-nocommit\",\"qa\":\"qa-pass\"}", 1, log));
        Http http = http();
        long projectId = readyProject(http, origin("override"), Map.of()).path("id").asLong();
        assertThat(http.get("/projects/" + projectId).json().path("plan_approval").asText()).isEqualTo("auto");
        assertThat(http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0002-bad",
                "plan_approval", "sometimes")).status()).isEqualTo(422);
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0002-own",
                "auto_advance", true, "plan_approval", "required")).json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        assertThat(awaitPlanReady(http, id, 1).path("plan_approval").asText()).isEqualTo("required");
        assertNothingRan(http, id, log);
        assertThat(http.post("/protocols/" + id + "/actions/approve_plan", null).status()).isEqualTo(202);
        awaitProtocol(http, id, "completed");
    }

    @Test
    void anAgentsQuestionWaitsForTheAnswerAndTheRerunSeesBoth() {
        Path log = promptLog("question");
        agentScript(script("{\"planning\":\"plan\",\"exec\":[\"exec-question\",\"exec-nocommit\"],\"qa\":\"qa-pass\"}", 1, log));
        Http http = http();
        String url = origin("question");
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0003-ask", "auto_advance", true))
                .json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        awaitStatus(http, id, "blocked");

        JsonNode step = steps(http, id).get(0);
        long stepId = step.path("id").asLong();
        assertThat(step.path("status").asText()).isEqualTo("blocked");
        assertThat(step.path("blocked_reason").asText()).isEqualTo("needs_input");
        assertThat(step.path("allowed_actions")).extracting(JsonNode::asText).contains("answer");
        String question = "Should the login accept e-mail or user names? (question 1)";
        assertThat(step.path("questions").get(0).path("question").asText()).isEqualTo(question);
        assertThat(step.path("questions").get(0).path("answer").isNull()).isTrue();
        JsonNode asked = event(http, id, "agent_question");
        assertThat(asked.path("step_run_id").asLong()).isEqualTo(stepId);
        assertThat(asked.path("metadata").path("question").asText()).isEqualTo(question);
        assertThat(asked.path("metadata").path("step").asText()).isEqualTo("00-setup.md");
        // the asking run's work was discarded: nothing of it in the worktree or on the branch
        Path worktree = workspace.worktree(projectId, "0003-ask");
        assertThat(worktree.resolve(".protocols")).isDirectory();
        assertThat(worktree.resolve("half-done-before-question.txt")).doesNotExist();
        assertThat(TestRepos.gitBare(TestRepos.originPath(url), "ls-tree", "-r", "--name-only", "0003-ask"))
                .doesNotContain("half-done-before-question.txt");

        assertThat(http.post("/steps/" + stepId + "/actions/answer", Map.of()).status()).isEqualTo(422);
        Http.Response answered = http.post("/steps/" + stepId + "/actions/answer", Map.of("text", "E-mail only, ANSWER-42"));
        assertThat(answered.status()).as(answered.body()).isEqualTo(202);
        awaitProtocol(http, id, "completed");

        List<JsonNode> exec = prompts(log, "exec");
        assertThat(exec).hasSize(2);
        assertThat(exec.get(0).path("prompt").asText()).doesNotContain("ANSWER-42").contains("deksdenflow-question");
        assertThat(exec.get(1).path("prompt").asText()).contains(question).contains("ANSWER-42");
        JsonNode done = http.get("/steps/" + stepId).json();
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("blocked_reason").isNull()).isTrue();
        assertThat(done.path("questions").get(0).path("answer").asText()).isEqualTo("E-mail only, ANSWER-42");
        assertThat(eventTypes(http, id)).contains("question_answered");
        assertThat(http.post("/steps/" + stepId + "/actions/answer", Map.of("text", "again")).status()).isEqualTo(409);
    }

    @Test
    void aFourthQuestionFailsTheStepWithTheReason() {
        Path log = promptLog("bound");
        agentScript(script("{\"planning\":\"plan\",\"exec\":\"exec-question\",\"qa\":\"qa-pass\"}", 1, log));
        Http http = http();
        long projectId = readyProject(http, origin("bound"), Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0004-curious", "auto_advance", true))
                .json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        for (int n = 1; n <= 3; n++) {
            int asked = n;
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> steps(http, id).size() == 1 && steps(http, id).get(0).path("questions").size() == asked
                            && steps(http, id).get(0).path("blocked_reason").asText().equals("needs_input"));
            long stepId = steps(http, id).get(0).path("id").asLong();
            assertThat(http.post("/steps/" + stepId + "/actions/answer", Map.of("text", "answer " + n)).status()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> steps(http, id).size() == 1 && steps(http, id).get(0).path("status").asText().equals("failed"));
        JsonNode step = steps(http, id).get(0);
        assertThat(step.path("last_error").asText()).contains("DEKSDENFLOW_QUESTIONS_PER_STEP=3").contains("(question 4)");
        assertThat(step.path("questions").size()).isEqualTo(3);
        assertThat(step.path("allowed_actions")).extracting(JsonNode::asText).doesNotContain("answer");
        awaitProtocol(http, id, "blocked");
        assertThat(prompts(log, "exec")).hasSize(4);
        assertThat(eventTypes(http, id).stream().filter("agent_question"::equals).count()).isEqualTo(3);
    }

    // ---------------------------------------------------------------- helpers

    private static String script(String modes, int steps, Path log) {
        return "{\"modes\":" + modes + ",\"steps\":" + steps + ",\"prompt_log\":" + quote(log.toString()) + "}";
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh prompt log beside the stand-in's script (where the sandbox lets it write). */
    private static Path promptLog(String name) {
        Path p = ROOT.resolve("agent").resolve("prompts-" + name + "-" + System.nanoTime() + ".jsonl");
        try {
            Files.createDirectories(p.getParent());
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The prompts the stand-in received in {@code phase}, oldest first. */
    private static List<JsonNode> prompts(Path log, String phase) {
        List<JsonNode> out = new ArrayList<>();
        try {
            if (!Files.exists(log)) return out;
            for (String line : Files.readAllLines(log)) {
                if (line.isBlank()) continue;
                JsonNode n = JSON.readTree(line);
                if (n.path("phase").asText().equals(phase)) out.add(n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** {@link #awaitProtocol}, failing with the protocol's events and steps when it does not get there. */
    private JsonNode awaitStatus(Http http, long id, String status) {
        try {
            return awaitProtocol(http, id, status);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("protocol " + id + " is " + http.get("/protocols/" + id).body() + "\nevents "
                    + http.get("/protocols/" + id + "/events?limit=500").body() + "\nsteps " + http.get("/protocols/" + id + "/steps").body(), e);
        }
    }

    private List<JsonNode> steps(Http http, long id) {
        List<JsonNode> out = new ArrayList<>();
        http.get("/protocols/" + id + "/steps").json().path("items").forEach(out::add);
        return out;
    }

    /** Waits for the protocol's {@code n}th plan_ready and returns the protocol. */
    private JsonNode awaitPlanReady(Http http, long id, int n) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> eventTypes(http, id).stream().filter("plan_ready"::equals).count() == n
                        && http.get("/protocols/" + id).json().path("awaiting_plan_approval").asBoolean());
        return http.get("/protocols/" + id).json();
    }

    /** No step started, ran an engine or was asked for, and no execution job exists for the protocol. */
    private void assertNothingRan(Http http, long id, Path log) {
        assertThat(eventTypes(http, id)).doesNotContain("step_started", "protocol_running", "step_executed", "planned");
        for (JsonNode s : steps(http, id)) {
            assertThat(s.path("status").asText()).isEqualTo("pending");
            assertThat(http.get("/steps/" + s.path("id").asLong() + "/runs").json().path("items").size()).isZero();
        }
        for (String status : List.of("queued", "started", "delayed", "finished", "failed")) {
            for (JsonNode job : http.get("/queues/jobs?status=" + status + "&limit=500").json().path("items")) {
                if (job.path("protocol_run_id").asLong() == id) {
                    assertThat(job.path("job_type").asText()).isNotEqualTo("execute_step_job");
                }
            }
        }
        assertThat(prompts(log, "exec")).isEmpty();
    }
}
