package io.deksdenflow.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** DEKSDENFLOW_GIT_LOCAL=false (as in the container images): no local path or file:// URL at all. */
@TestPropertySource(properties = "deksdenflow.git-local=false")
class GitLocalDisabledHttpTest extends ApiTestBase {

    @Test
    void everyLocalRepositoryIsRefusedAndRemoteOnesAreAccepted() throws Exception {
        Path origin = Files.createTempDirectory("origin-anywhere");
        for (String url : new String[] {"file://" + origin, origin.toString(), "file:///tmp/does-not-matter.git"}) {
            Http.Response r = http().post("/projects", Map.of("name", unique("local"), "git_url", url));
            assertThat(r.status()).as(url + " " + r.body()).isEqualTo(422);
            assertThat(r.json().path("error").path("field").asText()).isEqualTo("git_url");
            assertThat(r.json().path("error").path("message").asText()).contains("DEKSDENFLOW_GIT_LOCAL=false");
        }
        Http.Response remote = http().post("/projects", Map.of("name", unique("remote"), "git_url", "https://github.com/acme/demo.git"));
        assertThat(remote.status()).as(remote.body()).isEqualTo(201);
    }
}
