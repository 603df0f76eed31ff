package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.CiStatus;
import io.deksdenflow.orchestrator.forge.gitlab.GitlabTranslator;
import io.deksdenflow.orchestrator.forge.github.GithubTranslator;
import io.deksdenflow.orchestrator.forge.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookRepositoriesTest {

    private static CiStatus repo(String fullName, String... urls) {
        return new CiStatus(null, "0001-x", "success", "github", null, null, null, null, fullName,
                List.of(urls), null, null, null, null, null, null, null);
    }

    @Test
    void normalize() {
        assertThat(Repositories.normalize("https://github.com/Acme/Demo.git")).isEqualTo("github.com/acme/demo");
        assertThat(Repositories.normalize("https://user:tok@GitHub.com:443/Acme/Demo/")).isEqualTo("github.com/acme/demo");
        assertThat(Repositories.normalize("git@github.com:Acme/demo.git")).isEqualTo("github.com/acme/demo");
        assertThat(Repositories.normalize("ssh://git@gitlab.example.com:2222/acme/platform/demo.git"))
                .isEqualTo("gitlab.example.com/acme/platform/demo");
        assertThat(Repositories.normalize("file:///srv/git/acme/demo.git")).isEqualTo("srv/git/acme/demo");
        assertThat(Repositories.normalize("/srv/git/demo")).isEqualTo("srv/git/demo");
        assertThat(Repositories.normalize(null)).isNull();
        assertThat(Repositories.normalize(" ")).isNull();
    }

    @Test
    void payloadWithoutRepositoryMatchesAnything() {
        assertThat(Repositories.matches("https://github.com/acme/demo.git", repo(null))).isTrue();
        assertThat(Repositories.matches("https://github.com/acme/demo.git", CiStatus.of("jenkins", "b", "success"))).isTrue();
    }

    @Test
    void githubPayloadAgainstProjectUrls() {
        CiStatus s = GithubTranslator.translate("workflow_run",
                Fixtures.json("github/workflow_run-completed-success.json")).orElseThrow();
        assertThat(Repositories.matches("https://github.com/acme/demo.git", s)).isTrue();
        assertThat(Repositories.matches("https://github.com/Acme/demo", s)).isTrue();
        assertThat(Repositories.matches("git@github.com:Acme/demo.git", s)).isTrue();
        assertThat(Repositories.matches("https://x-access-token:abc@github.com/Acme/demo.git", s)).isTrue();
        assertThat(Repositories.matches("ssh://git@github.com/Acme/demo.git", s)).isTrue();
        assertThat(Repositories.matches("https://github.com/Acme/demo2.git", s)).isFalse();
        assertThat(Repositories.matches("https://github.com/Other/demo.git", s)).isFalse();
        assertThat(Repositories.matches("https://gitlab.com/Acme/demo.git", s)).isTrue(); // full name acme/demo equal
        assertThat(Repositories.matches(null, s)).isFalse();
    }

    @Test
    void fullNameOnlyComparesThePath() {
        CiStatus s = repo("acme/platform/demo");
        assertThat(Repositories.matches("https://gitlab.example.com/acme/platform/demo.git", s)).isTrue();
        assertThat(Repositories.matches("https://gitlab.example.com/platform/demo.git", s)).isFalse();
    }

    @Test
    void urlsOnlyCompareHostToo() {
        CiStatus s = repo(null, "https://gitlab.example.com/acme/demo.git");
        assertThat(Repositories.matches("git@gitlab.example.com:acme/demo.git", s)).isTrue();
        assertThat(Repositories.matches("https://github.com/acme/demo.git", s)).isFalse();
    }

    @Test
    void localProjectsCompareLastTwoSegments() {
        CiStatus s = GithubTranslator.translate("workflow_run",
                Fixtures.json("github/workflow_run-completed-success.json")).orElseThrow();
        assertThat(Repositories.matches("file:///srv/git/acme/demo.git", s)).isTrue();
        assertThat(Repositories.matches("/home/me/Acme/demo", s)).isTrue();
        assertThat(Repositories.matches("file:///srv/git/acme/other.git", s)).isFalse();
        assertThat(Repositories.matches("/srv/git/other/demo", s)).isFalse();
        CiStatus gitlab = GitlabTranslator.translate("Pipeline Hook",
                Fixtures.json("gitlab/pipeline-success.json")).orElseThrow();
        assertThat(Repositories.matches("file:///srv/git/platform/demo.git", gitlab)).isTrue();
        assertThat(Repositories.matches("file:///srv/git/acme/demo.git", gitlab)).isFalse();
    }
}
