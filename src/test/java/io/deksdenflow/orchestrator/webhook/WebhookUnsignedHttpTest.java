package io.deksdenflow.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** No webhook secret configured anywhere and unsigned deliveries not allowed: everything is 401. */
@TestPropertySource(properties = {"deksdenflow.webhook-token=", "deksdenflow.webhook-allow-unsigned=false"})
class WebhookUnsignedHttpTest extends WebhookTestSupport {

    @Test
    void withoutAnySecretEveryDeliveryIsRefused() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        var p = runningProtocol(project, "0001-add-login");
        byte[] body = payload("github/workflow_run-in_progress.json", sfx);

        for (Http.Response r : new Http.Response[] {
                github("workflow_run", body, null),
                github("workflow_run", body, "any-secret"),
                gitlab("Pipeline Hook", payload("gitlab/pipeline-success.json", sfx), null),
                gitlab("Pipeline Hook", payload("gitlab/pipeline-success.json", sfx), "any-secret")}) {
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.json().get("error").get("message").asText()).contains("DEKSDENFLOW_WEBHOOK_TOKEN");
        }
        assertThat(eventTypes(p.id())).doesNotContain("ci_running");
    }
}
