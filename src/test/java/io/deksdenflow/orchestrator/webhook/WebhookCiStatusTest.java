package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.CiStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookCiStatusTest {

    private static final ObjectMapper SNAKE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    @Test
    void readsTheDocumentedJsonWithTheAppMapperAndAPlainOne() throws Exception {
        String json = """
                {"protocol_run_id": 3, "status": "Failure", "provider": "jenkins",
                 "url": "https://ci/job/1", "check_name": "build", "summary": "boom", "extra": 1}""";
        for (ObjectMapper m : List.of(SNAKE, new ObjectMapper())) {
            CiStatus s = CiStatus.validated(m.readValue(json, CiStatus.class));
            assertThat(s.protocolRunId()).isEqualTo(3L);
            assertThat(s.status()).isEqualTo("failure");
            assertThat(s.isFailure()).isTrue();
            assertThat(s.checkName()).isEqualTo("build");
            assertThat(s.branch()).isNull();
            assertThat(s.repositoryUrls()).isEmpty();
        }
    }

    @Test
    void writesSnakeCase() throws Exception {
        CiStatus s = new CiStatus(1L, "b", "success", "github", "u", "c", null, "sha", "a/b", List.of("x"),
                "success", "workflow_run", "t", null, List.of("b", "main"), "42", null);
        for (ObjectMapper m : List.of(SNAKE, new ObjectMapper())) {
            String json = m.writeValueAsString(s);
            assertThat(json).contains("\"protocol_run_id\":1", "\"check_name\":\"c\"", "\"head_sha\":\"sha\"",
                    "\"repository_urls\":[\"x\"]", "\"event_kind\":\"workflow_run\"",
                    "\"branches\":[\"b\",\"main\"]", "\"run_id\":\"42\"");
            assertThat(json).doesNotContain("\"success\":", "branch_candidates", "summary", "pr_state");
            assertThat(m.readValue(json, CiStatus.class)).isEqualTo(s);
        }
    }

    @Test
    void protocolRunIdAsString() throws Exception {
        CiStatus s = SNAKE.readValue("{\"protocol_run_id\": \"12\", \"status\": \"running\"}", CiStatus.class);
        assertThat(CiStatus.validated(s).protocolRunId()).isEqualTo(12L);
    }

    @Test
    void rejectsMissingOrInvalidStatus() {
        assertField(() -> CiStatus.validated(CiStatus.of("x", "b", null)), "status");
        assertField(() -> CiStatus.validated(CiStatus.of("x", "b", " ")), "status");
        assertField(() -> CiStatus.validated(CiStatus.of("x", "b", "passed")), "status");
        assertField(() -> CiStatus.validated(null), "status");
    }

    @Test
    void prStateAllowsNullStatus() {
        CiStatus s = new CiStatus(null, "b", null, "gitlab", null, null, null, null, null, null, null,
                "merge_request", null, "MERGED", null, null, null);
        assertThat(CiStatus.validated(s).prState()).isEqualTo("merged");
        CiStatus bad = new CiStatus(null, "b", null, "gitlab", null, null, null, null, null, null, null,
                null, null, "draft", null, null, null);
        assertField(() -> CiStatus.validated(bad), "pr_state");
    }

    @Test
    void requiresRunIdOrBranch() {
        assertField(() -> CiStatus.validated(CiStatus.of("x", null, "success")), "protocol_run_id");
        assertField(() -> CiStatus.validated(CiStatus.of("x", "  ", "success")), "protocol_run_id");
        assertField(() -> CiStatus.validated(CiStatus.of("x", null, "success").withProtocolRunId(0L)), "protocol_run_id");
        assertThat(CiStatus.validated(CiStatus.of("x", null, "success").withProtocolRunId(5L)).protocolRunId()).isEqualTo(5L);
        assertThat(CiStatus.validated(CiStatus.of("x", " b ", "success")).branch()).isEqualTo("b");
    }

    private static void assertField(Runnable r, String field) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
