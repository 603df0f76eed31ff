package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.github.GithubForge;
import io.deksdenflow.orchestrator.forge.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** GitHub and GitLab deliveries over real HTTP: authentication, replays, mapping, transitions. */
@TestPropertySource(properties = {"deksdenflow.webhook-token=" + WebhookHttpTest.SECRET,
        "deksdenflow.api-token=" + WebhookHttpTest.API_TOKEN,
        "deksdenflow.git-local=true"})
class WebhookHttpTest extends WebhookTestSupport {
    static final String SECRET = "hook-secret";
    static final String API_TOKEN = "api-secret";
    static final String GH_SUCCESS_SHA = "acb5820ced9479c074f688cc328bf03f341a511d";

    @Override
    protected Http api() {
        return http().header("Authorization", "Bearer " + API_TOKEN);
    }

    static byte[] edit(byte[] payload, Consumer<ObjectNode> change) {
        try {
            ObjectNode node = (ObjectNode) Fixtures.MAPPER.readTree(payload);
            change.accept(node);
            return Fixtures.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- authentication

    @Test
    void githubSignedSuccessRecordsCiPassedAndTheStepOnlyWaits() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        StepRun s = executedStep(p, 0, GH_SUCCESS_SHA);

        Http.Response r = github("workflow_run", payload("github/workflow_run-completed-success.json", sfx), SECRET);

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).isEqualTo("accepted");
        assertThat(r.header("X-Hub-Signature-256")).isNull();
        JsonNode e = lastEvent(p.id(), "ci_passed");
        assertThat(e.get("step_run_id").asLong()).isEqualTo(s.id());
        assertThat(e.get("metadata").get("check_name").asText()).isEqualTo("CI");
        assertThat(e.get("metadata").get("auto_qa").asBoolean()).isFalse();
        assertThat(stepStatus(s.id())).isEqualTo("needs_qa");
        assertThat(protocolStatus(p.id())).isEqualTo("running");
    }

    @Test
    void unsignedWronglySignedAndBearerOnlyDeliveriesAreRefused() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0002-fix-cache");
        executedStep(p, 0, "1111111111111111111111111111111111111111");
        byte[] gh = payload("github/workflow_run-completed-failure.json", sfx);
        byte[] gl = payload("gitlab/pipeline-mr-failed.json", sfx);
        List<String> before = eventTypes(p.id());
        double unauthorized = webhookCount("github", "unauthorized");

        Http.Response unsigned = github("workflow_run", gh, null);
        Http.Response wrong = github("workflow_run", gh, "not-the-secret");
        Http.Response tampered = http().postBytes("/webhooks/github", gh, Map.of("X-GitHub-Event", "workflow_run",
                "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", GithubForge.signature(SECRET, "{}".getBytes())));
        Http.Response bearer = api().postBytes("/webhooks/github", gh, Map.of("X-GitHub-Event", "workflow_run"));
        Http.Response glNone = gitlab("Pipeline Hook", gl, null);
        Http.Response glWrong = gitlab("Pipeline Hook", gl, "nope");
        Http.Response glBearer = api().postBytes("/webhooks/gitlab", gl, Map.of("X-Gitlab-Event", "Pipeline Hook"));

        for (Http.Response r : List.of(unsigned, wrong, tampered, bearer, glNone, glWrong, glBearer)) {
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.json().get("error").get("code").asText()).isEqualTo("unauthorized");
        }
        assertThat(eventTypes(p.id())).isEqualTo(before);
        assertThat(protocolStatus(p.id())).isEqualTo("running");
        assertThat(webhookCount("github", "unauthorized")).isEqualTo(unauthorized + 4);
    }

    @Test
    void aProjectsOwnSecretAffectsThatProjectOnly() {
        String sfx = repoSuffix();
        String aSecret = "project-a-secret";
        long a = githubProject(sfx, Map.of("secrets", Map.of("webhook_token", aSecret))).get("id").asLong();
        long b = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun pa = runningProtocol(a, "0001-add-login");
        ProtocolRun pb = runningProtocol(b, "0001-add-login");
        byte[] running = payload("github/workflow_run-in_progress.json", sfx);

        assertThat(github("workflow_run", running, aSecret).status()).isEqualTo(202);
        assertThat(eventTypes(pa.id())).contains("ci_running");
        assertThat(eventTypes(pb.id())).doesNotContain("ci_running");

        // the global secret no longer covers A, which has its own
        assertThat(github("workflow_run", running, SECRET).status()).isEqualTo(202);
        assertThat(eventTypes(pa.id()).stream().filter("ci_running"::equals).count()).isEqualTo(1);
        assertThat(eventTypes(pb.id())).contains("ci_running");

        // GitLab: X-Gitlab-Token equal to the project's secret
        String gsfx = repoSuffix();
        long ga = gitlabProject(gsfx, Map.of("secrets", Map.of("webhook_token", aSecret))).get("id").asLong();
        long gb = gitlabProject(gsfx, Map.of()).get("id").asLong();
        ProtocolRun gpa = runningProtocol(ga, "0001-add-login");
        ProtocolRun gpb = runningProtocol(gb, "0001-add-login");
        assertThat(gitlab("Pipeline Hook", payload("gitlab/pipeline-success.json", gsfx), aSecret).status()).isEqualTo(202);
        assertThat(eventTypes(gpa.id())).contains("ci_passed");
        assertThat(eventTypes(gpb.id())).doesNotContain("ci_passed");
    }

    // ---------------------------------------------------------------- replays, mapping, input

    @Test
    void aReplayedDeliveryAnswersDuplicateAndRecordsNothing() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        byte[] body = payload("github/workflow_run-in_progress.json", sfx);
        String delivery = UUID.randomUUID().toString();

        assertThat(github("workflow_run", body, SECRET, delivery, "").status()).isEqualTo(202);
        List<String> after = eventTypes(p.id());
        Http.Response replay = github("workflow_run", body, SECRET, delivery, "");

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(eventTypes(p.id())).isEqualTo(after);

        String glDelivery = UUID.randomUUID().toString();
        String gsfx = repoSuffix();
        ProtocolRun gp = runningProtocol(gitlabProject(gsfx, Map.of()).get("id").asLong(), "0001-add-login");
        byte[] gl = payload("gitlab/pipeline-success.json", gsfx);
        assertThat(gitlab("Pipeline Hook", gl, SECRET, glDelivery).status()).isEqualTo(202);
        List<String> glAfter = eventTypes(gp.id());
        Http.Response glReplay = gitlab("Pipeline Hook", gl, SECRET, glDelivery);
        assertThat(glReplay.status()).isEqualTo(200);
        assertThat(glReplay.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(eventTypes(gp.id())).isEqualTo(glAfter);
    }

    @Test
    void refusedOrMalformedDeliveriesDoNotBurnTheirDeliveryId() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        byte[] body = payload("github/workflow_run-in_progress.json", sfx);
        String delivery = UUID.randomUUID().toString();
        double invalid = webhookCount("github", "invalid");

        assertThat(github("workflow_run", body, "forged", delivery, "").status()).isEqualTo(401);
        assertThat(github("workflow_run", "{oops".getBytes(), SECRET, delivery, "").status()).isEqualTo(400);
        Http.Response real = github("workflow_run", body, SECRET, delivery, "");

        assertThat(real.status()).as(real.body()).isEqualTo(202);
        assertThat(real.json().get("status").asText()).isEqualTo("accepted");
        assertThat(eventTypes(p.id())).contains("ci_running");
        assertThat(webhookCount("github", "invalid")).isEqualTo(invalid + 1);
        assertThat(real.header("X-GitHub-Event")).isNull();
        assertThat(real.header("X-GitHub-Delivery")).isNull();
    }

    @Test
    void githubFormEncodedDeliveriesAreVerifiedOnTheRawBody() throws Exception {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        String json = new String(payload("github/workflow_run-in_progress.json", sfx), java.nio.charset.StandardCharsets.UTF_8);
        byte[] form = ("payload=" + java.net.URLEncoder.encode(json, java.nio.charset.StandardCharsets.UTF_8)).getBytes();

        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/webhooks/github"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-GitHub-Event", "workflow_run")
                        .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                        .header("X-Hub-Signature-256", GithubForge.signature(SECRET, form))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(form)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(eventTypes(p.id())).contains("ci_running");
    }

    @Test
    void unknownBranchRunIdAndOtherRepositoryAreIgnored() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0009-something-else");
        double ignored = webhookCount("github", "ignored");

        Http.Response branch = github("workflow_run", payload("github/workflow_run-completed-failure.json", sfx), SECRET);
        assertThat(branch.status()).isEqualTo(202);
        assertThat(branch.json().get("status").asText()).isEqualTo("ignored");
        assertThat(branch.json().get("reason").asText()).contains("feature/0002-fix-cache");

        Http.Response runId = github("workflow_run", payload("github/workflow_run-completed-failure.json", sfx),
                SECRET, UUID.randomUUID().toString(), "?protocol_run_id=999999999");
        assertThat(runId.status()).isEqualTo(202);
        assertThat(runId.json().get("reason").asText()).contains("protocol_run_id");

        // the run exists, but the payload is about another repository
        Http.Response otherRepo = github("workflow_run", payload("github/workflow_run-completed-failure.json", repoSuffix()),
                SECRET, UUID.randomUUID().toString(), "?protocol_run_id=" + p.id());
        assertThat(otherRepo.json().get("status").asText()).isEqualTo("ignored");

        Http.Response ping = github("ping", payload("github/ping.json", sfx), SECRET);
        assertThat(ping.status()).isEqualTo(202);
        assertThat(ping.json().get("status").asText()).isEqualTo("ignored");

        assertThat(protocolStatus(p.id())).isEqualTo("running");
        assertThat(eventTypes(p.id())).noneMatch(t -> t.startsWith("ci_"));
        assertThat(webhookCount("github", "ignored")).isEqualTo(ignored + 4);
    }

    @Test
    void protocolRunIdQueryParameterIsHonouredOnlyWhenThePayloadAgrees() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun named = runningProtocol(project, "0001-add-login"); // the fixture's branch
        ProtocolRun other = runningProtocol(project, "0007-explicit");
        byte[] elsewhere = edit(payload("github/workflow_run-completed-failure.json", sfx),
                n -> ((ObjectNode) n.get("workflow_run")).put("head_branch", "some-other-branch"));

        // a validly signed delivery about another branch, retargeted by the unsigned query: ignored
        Http.Response retargeted = github("workflow_run", elsewhere, SECRET, UUID.randomUUID().toString(),
                "?protocol_run_id=" + other.id());
        assertThat(retargeted.status()).as(retargeted.body()).isEqualTo(202);
        assertThat(retargeted.json().get("status").asText()).isEqualTo("ignored");
        assertThat(retargeted.json().get("reason").asText()).contains("protocol_run_id " + other.id(), "some-other-branch");
        Http.Response mismatch = github("workflow_run", payload("github/workflow_run-in_progress.json", sfx), SECRET,
                UUID.randomUUID().toString(), "?protocol_run_id=" + other.id());
        assertThat(mismatch.json().get("status").asText()).isEqualTo("ignored");
        assertThat(protocolStatus(other.id())).isEqualTo("running");
        assertThat(eventTypes(other.id())).noneMatch(t -> t.startsWith("ci_") || t.endsWith("_blocked"));

        // the query agrees with the payload: only that run
        Http.Response r = github("workflow_run", payload("github/workflow_run-in_progress.json", sfx), SECRET,
                UUID.randomUUID().toString(), "?protocol_run_id=" + named.id());
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("results")).hasSize(1);
        assertThat(r.json().get("results").get(0).get("protocol_run_id").asLong()).isEqualTo(named.id());
        assertThat(eventTypes(named.id())).contains("ci_running");
    }

    @Test
    void twentySimultaneousIdenticalDeliveriesActOnce() throws Exception {
        for (String delivery : new String[] {UUID.randomUUID().toString(), null}) {
            String sfx = repoSuffix();
            long project = githubProject(sfx, Map.of()).get("id").asLong();
            ProtocolRun p = runningProtocol(project, "0001-add-login");
            byte[] body = payload("github/workflow_run-in_progress.json", sfx);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Http.Response>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add(pool.submit(() -> {
                    go.await();
                    return github("workflow_run", body, SECRET, delivery, "");
                }));
            }
            go.countDown();
            List<String> outcomes = new java.util.ArrayList<>();
            for (var f : sent) outcomes.add(f.get(60, TimeUnit.SECONDS).json().get("status").asText());
            pool.shutdown();
            assertThat(outcomes).as("delivery id " + delivery).containsOnly("accepted", "duplicate");
            assertThat(outcomes.stream().filter("accepted"::equals).count()).isEqualTo(1);
            assertThat(eventTypes(p.id()).stream().filter("ci_running"::equals).count()).isEqualTo(1);
        }
    }

    @Test
    void withoutADeliveryIdTheBodyHashIsTheReplayKey() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        byte[] body = payload("github/workflow_run-in_progress.json", sfx);

        assertThat(github("workflow_run", body, SECRET, null, "").json().get("status").asText()).isEqualTo("accepted");
        List<String> after = eventTypes(p.id());
        Http.Response replay = github("workflow_run", body, SECRET, null, "");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(eventTypes(p.id())).isEqualTo(after);

        // GitLab: Idempotency-Key wins over X-Gitlab-Event-UUID, which changes on a retry
        String gsfx = repoSuffix();
        ProtocolRun gp = runningProtocol(gitlabProject(gsfx, Map.of()).get("id").asLong(), "0001-add-login");
        byte[] gl = payload("gitlab/pipeline-success.json", gsfx);
        String key = UUID.randomUUID().toString();
        for (int i = 0; i < 2; i++) {
            Http.Response r = http().postBytes("/webhooks/gitlab", gl, Map.of("X-Gitlab-Event", "Pipeline Hook",
                    "X-Gitlab-Token", SECRET, "Idempotency-Key", key, "X-Gitlab-Event-UUID", UUID.randomUUID().toString()));
            assertThat(r.json().get("status").asText()).isEqualTo(i == 0 ? "accepted" : "duplicate");
        }
        assertThat(eventTypes(gp.id()).stream().filter("ci_passed"::equals).count()).isEqualTo(1);
    }

    @Test
    void aFormBodyThatIsNoFormIs400NeverA500() throws Exception {
        // curl -d '{}' sends it form-encoded: Camel's HTTP binding would throw before any route
        for (String forge : List.of("github", "gitlab", "gitea")) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/webhooks/" + forge))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(forge + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("\"code\":\"bad_request\"", "name=value");
        }
    }

    @Test
    void malformedJsonIs400NeverA500() {
        byte[] bad = "{\"workflow_run\": ".getBytes();
        Http.Response gh = github("workflow_run", bad, SECRET);
        assertThat(gh.status()).isEqualTo(400);
        assertThat(gh.json().get("error").get("code").asText()).isEqualTo("bad_request");
        Http.Response array = github("workflow_run", "[1,2]".getBytes(), SECRET);
        assertThat(array.status()).isEqualTo(400);
        Http.Response gl = gitlab("Pipeline Hook", "not json".getBytes(), SECRET);
        assertThat(gl.status()).isEqualTo(400);
        assertThat(gl.json().get("error").get("code").asText()).isEqualTo("bad_request");
        // unauthenticated garbage is refused before it is parsed
        assertThat(github("workflow_run", bad, null).status()).isEqualTo(401);
    }

    // ---------------------------------------------------------------- GitHub event kinds

    @Test
    void githubFailuresBlockStepAndProtocolWithDetails() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun wf = runningProtocol(project, "0002-fix-cache");
        StepRun wfStep = executedStep(wf, 0, "9049f1265b7d61be4a8904a9a27120d2064dab3b");
        ProtocolRun cr = runningProtocol(project, "0001-add-login");
        StepRun crStep = executedStep(cr, 0, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");

        assertThat(github("workflow_run", payload("github/workflow_run-completed-failure.json", sfx), SECRET).status())
                .isEqualTo(202);
        assertThat(protocolStatus(wf.id())).isEqualTo("blocked");
        assertThat(stepStatus(wfStep.id())).isEqualTo("blocked");
        JsonNode failed = lastEvent(wf.id(), "ci_failed").get("metadata");
        assertThat(failed.get("check_name").asText()).isEqualTo("CI");
        assertThat(failed.get("conclusion").asText()).isEqualTo("timed_out");
        assertThat(failed.get("url").asText()).startsWith("https://github.com/");
        assertThat(failed.get("to").asText()).isEqualTo("blocked");

        assertThat(github("check_run", payload("github/check_run-completed-failure.json", sfx), SECRET).status())
                .isEqualTo(202);
        assertThat(protocolStatus(cr.id())).isEqualTo("blocked");
        assertThat(stepStatus(crStep.id())).isEqualTo("blocked");
        JsonNode check = lastEvent(cr.id(), "ci_failed").get("metadata");
        assertThat(check.get("check_name").asText()).isEqualTo("unit-tests");
        assertThat(check.get("conclusion").asText()).isEqualTo("failure");
        assertThat(check.has("title")).isTrue();
        assertThat(check.has("summary")).isTrue();
        assertThat(lastEvent(cr.id(), "step_blocked").get("step_run_id").asLong()).isEqualTo(crStep.id());
    }

    @Test
    void githubCheckSuiteAndStatusSuccessRecordCiPassed() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun suite = runningProtocol(project, "0003-docs");
        StepRun suiteStep = executedStep(suite, 0, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");
        ProtocolRun status = runningProtocol(project, "0004-ci-status");

        assertThat(github("check_suite", payload("github/check_suite-completed.json", sfx), SECRET).status()).isEqualTo(202);
        assertThat(lastEvent(suite.id(), "ci_passed").get("step_run_id").asLong()).isEqualTo(suiteStep.id());
        assertThat(stepStatus(suiteStep.id())).isEqualTo("needs_qa");

        assertThat(github("status", payload("github/status-success.json", sfx), SECRET).status()).isEqualTo(202);
        JsonNode e = lastEvent(status.id(), "ci_passed");
        assertThat(e.get("step_run_id").isNull()).isTrue();
        assertThat(e.get("metadata").get("step_selected_by").asText()).isEqualTo("none");
        assertThat(protocolStatus(status.id())).isEqualTo("running");
    }

    @Test
    void githubPullRequestMergedCompletesClosedOnlyRecords() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        byte[] merged = payload("github/pull_request-closed.json", sfx);
        byte[] closed = edit(merged, n -> {
            ((ObjectNode) n.get("pull_request")).put("merged", false);
            ((ObjectNode) n.get("pull_request")).putNull("merged_at");
        });

        assertThat(github("pull_request", closed, SECRET).status()).isEqualTo(202);
        assertThat(eventTypes(p.id())).contains("pr_closed");
        assertThat(protocolStatus(p.id())).isEqualTo("running");

        assertThat(github("pull_request", merged, SECRET).status()).isEqualTo(202);
        assertThat(protocolStatus(p.id())).isEqualTo("completed");
        assertThat(lastEvent(p.id(), "pr_merged").get("metadata").get("to").asText()).isEqualTo("completed");

        // opened PRs are recorded, nothing moves
        ProtocolRun o = runningProtocol(project, "0005-export");
        assertThat(github("pull_request", payload("github/pull_request-opened.json", sfx), SECRET).status()).isEqualTo(202);
        assertThat(eventTypes(o.id())).contains("pr_opened");
        assertThat(protocolStatus(o.id())).isEqualTo("running");
    }

    // ---------------------------------------------------------------- GitLab event kinds

    @Test
    void gitlabPipelineJobAndMergeRequestHooks() {
        String sfx = repoSuffix();
        long project = gitlabProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun ok = runningProtocol(project, "0001-add-login");
        StepRun okStep = executedStep(ok, 0, "bcbb5ec396a2c0f828686f14fac9b80b780504f2");
        ProtocolRun mr = runningProtocol(project, "0002-fix-cache");
        StepRun mrStep = executedStep(mr, 0, "da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
        ProtocolRun job = runningProtocol(project, "0003-docs");

        assertThat(gitlab("Pipeline Hook", payload("gitlab/pipeline-success.json", sfx), SECRET).status()).isEqualTo(202);
        assertThat(lastEvent(ok.id(), "ci_passed").get("step_run_id").asLong()).isEqualTo(okStep.id());

        assertThat(gitlab("Pipeline Hook", payload("gitlab/pipeline-mr-failed.json", sfx), SECRET).status()).isEqualTo(202);
        assertThat(protocolStatus(mr.id())).isEqualTo("blocked");
        assertThat(stepStatus(mrStep.id())).isEqualTo("blocked");
        assertThat(lastEvent(mr.id(), "ci_failed").get("metadata").get("conclusion").asText()).isEqualTo("failed");

        assertThat(gitlab("Job Hook", payload("gitlab/job-failed.json", sfx), SECRET).status()).isEqualTo(202);
        assertThat(protocolStatus(job.id())).isEqualTo("blocked");
        assertThat(lastEvent(job.id(), "ci_failed").get("metadata").has("check_name")).isTrue();

        assertThat(gitlab("Merge Request Hook", payload("gitlab/merge_request-merge.json", sfx), SECRET).status())
                .isEqualTo(202);
        assertThat(protocolStatus(ok.id())).isEqualTo("completed");
        assertThat(eventTypes(ok.id())).contains("pr_merged");
    }

    // ---------------------------------------------------------------- step selection, terminal runs

    @Test
    void theStepIsTheOneWhoseCommitCiReportsElseTheLastExecuted() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        StepRun second = executedStep(p, 1, GH_SUCCESS_SHA);                         // executed first
        StepRun first = executedStep(p, 0, "2222222222222222222222222222222222222222"); // executed last
        byte[] base = payload("github/workflow_run-in_progress.json", sfx);

        github("workflow_run", base, SECRET);
        JsonNode bySha = lastEvent(p.id(), "ci_running");
        assertThat(bySha.get("step_run_id").asLong()).isEqualTo(second.id());
        assertThat(bySha.get("metadata").get("step_selected_by").asText()).isEqualTo("head_sha");

        byte[] unknownSha = edit(base, n -> ((ObjectNode) n.get("workflow_run"))
                .put("head_sha", "3333333333333333333333333333333333333333"));
        github("workflow_run", unknownSha, SECRET);
        JsonNode last = lastEvent(p.id(), "ci_running");
        assertThat(last.get("step_run_id").asLong()).isEqualTo(first.id());
        assertThat(last.get("metadata").get("step_selected_by").asText()).isEqualTo("last_executed");
    }

    @Test
    void cancelledAndCompletedRunsAreNeverChanged() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0002-fix-cache");
        assertThat(api().post("/protocols/" + p.id() + "/actions/cancel", Map.of()).status()).isEqualTo(202);

        Http.Response r = github("workflow_run", payload("github/workflow_run-completed-failure.json", sfx), SECRET);
        assertThat(r.status()).isEqualTo(202);
        assertThat(protocolStatus(p.id())).isEqualTo("cancelled");
        JsonNode e = lastEvent(p.id(), "ci_ignored_terminal");
        assertThat(e.get("metadata").get("ignored").asBoolean()).isTrue();
        assertThat(eventTypes(p.id())).doesNotContain("ci_failed");

        ProtocolRun c = runningProtocol(project, "0001-add-login");
        github("pull_request", payload("github/pull_request-closed.json", sfx), SECRET);
        assertThat(protocolStatus(c.id())).isEqualTo("completed");
        github("check_run", payload("github/check_run-completed-failure.json", sfx), SECRET);
        assertThat(protocolStatus(c.id())).isEqualTo("completed");
        assertThat(eventTypes(c.id())).contains("ci_ignored_terminal").doesNotContain("ci_failed");
    }

    // ---------------------------------------------------------------- report.sh against the service

    @Test
    void reportScriptAgainstTheRunningService() throws Exception {
        String name = "0042-report-" + UUID.randomUUID().toString().substring(0, 8);
        long project = githubProject(repoSuffix(), Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, name);
        StepRun s = executedStep(p, 0, "4444444444444444444444444444444444444444");

        Path dir = Files.createTempDirectory("report");
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("scripts/ci/report.sh").toAbsolutePath().toString(),
                "failure").directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("DEKSDENFLOW_") || k.startsWith("CI_") || k.startsWith("GITHUB_"));
        env.put("DEKSDENFLOW_API_BASE", "http://127.0.0.1:" + port);
        env.put("DEKSDENFLOW_WEBHOOK_TOKEN", SECRET);
        env.put("DEKSDENFLOW_API_TOKEN", API_TOKEN);
        env.put("DEKSDENFLOW_BRANCH", name);
        env.put("DEKSDENFLOW_COMMIT_SHA", "4444444444444444444444444444444444444444");
        env.put("DEKSDENFLOW_TARGET_URL", "https://ci.example.com/runs/1");
        Process proc = pb.start();
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(proc.getInputStream().readAllBytes());
        assertThat(proc.exitValue()).as(out).isZero();
        assertThat(out).contains("202");

        JsonNode e = lastEvent(p.id(), "ci_failed");
        assertThat(e.get("metadata").get("url").asText()).isEqualTo("https://ci.example.com/runs/1");
        assertThat(lastEvent(p.id(), "step_blocked").get("step_run_id").asLong()).isEqualTo(s.id());
        assertThat(protocolStatus(p.id())).isEqualTo("blocked");

        // the GitLab shape, by run id
        ProcessBuilder gl = new ProcessBuilder("bash", Path.of("scripts/ci/report.sh").toAbsolutePath().toString(),
                "success").directory(dir.toFile()).redirectErrorStream(true);
        gl.environment().keySet().removeIf(k -> k.startsWith("DEKSDENFLOW_") || k.startsWith("CI_") || k.startsWith("GITHUB_"));
        gl.environment().putAll(Map.of("DEKSDENFLOW_API_BASE", "http://127.0.0.1:" + port,
                "DEKSDENFLOW_WEBHOOK_TOKEN", SECRET, "DEKSDENFLOW_CI_PROVIDER", "gitlab",
                "DEKSDENFLOW_PROTOCOL_RUN_ID", String.valueOf(p.id()), "DEKSDENFLOW_BRANCH", name,
                "DEKSDENFLOW_COMMIT_SHA", "4444444444444444444444444444444444444444"));
        Process glProc = gl.start();
        assertThat(glProc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(glProc.exitValue()).as(new String(glProc.getInputStream().readAllBytes())).isZero();
        assertThat(lastEvent(p.id(), "ci_passed").get("metadata").get("provider").asText()).isEqualTo("gitlab");
    }
}
