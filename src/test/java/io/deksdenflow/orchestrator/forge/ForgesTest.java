package io.deksdenflow.orchestrator.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.forge.gitea.GiteaForge;
import io.deksdenflow.orchestrator.forge.gitea.GiteaSettings;
import io.deksdenflow.orchestrator.forge.github.GithubForge;
import io.deksdenflow.orchestrator.forge.github.GithubSettings;
import io.deksdenflow.orchestrator.forge.gitlab.GitlabForge;
import io.deksdenflow.orchestrator.forge.gitlab.GitlabSettings;
import io.deksdenflow.orchestrator.git.GitCredential;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry: ids, tokens and the git credential a project's secrets give. */
class ForgesTest {
    static Forges forges() {
        ForgeHttp http = new ForgeHttp(new ObjectMapper());
        return new Forges(List.of(new GithubForge(new GithubSettings("https://api.github.com"), http),
                new GitlabForge(new GitlabSettings("https://gitlab.com/api/v4"), http),
                new GiteaForge(new GiteaSettings(""), http)));
    }

    @Test
    void idsTokensAndWords() {
        Forges f = forges();
        assertThat(f.idList()).containsExactly("github", "gitlab", "gitea");
        assertThat(f.tokenSecrets()).containsExactly("GITHUB_TOKEN", "GITLAB_TOKEN", "GITEA_TOKEN");
        assertThat(f.find("gitlab").orElseThrow().changeRequestShort()).isEqualTo("MR");
        assertThat(f.find("gitea").orElseThrow().changeRequestNoun()).isEqualTo("pull request");
        assertThat(f.find("jenkins")).isEmpty();
        assertThat(f.find(null)).isEmpty();
    }

    @Test
    void theFirstForgeTokenSetGivesTheCredentialThenGitToken() {
        Forges f = forges();
        assertThat(f.from(Map.of("GITLAB_TOKEN", " gl ", "GITEA_TOKEN", "ge"))).isEqualTo(new GitCredential("oauth2", "gl"));
        assertThat(f.from(Map.of("GITHUB_TOKEN", "gh", "GITLAB_TOKEN", "gl"))).isEqualTo(new GitCredential("x-access-token", "gh"));
        assertThat(f.from(Map.of("GITEA_TOKEN", "ge"))).isEqualTo(new GitCredential("oauth2", "ge"));
        assertThat(f.from(Map.of("GIT_TOKEN", "t", "GIT_USERNAME", "bot"))).isEqualTo(new GitCredential("bot", "t"));
        assertThat(f.from(Map.of("GITHUB_TOKEN", " "))).isNull();
    }

    @Test
    void twoForgesWithOneIdAreRefused() {
        ForgeHttp http = new ForgeHttp(new ObjectMapper());
        GithubForge gh = new GithubForge(new GithubSettings("https://api.github.com"), http);
        assertThatThrownBy(() -> new Forges(List.of(gh, gh))).hasMessageContaining("two forges with id github");
    }

    @Test
    void settingsNameTheirVariable() {
        assertThatThrownBy(() -> new GiteaSettings("codeberg.org")).hasMessageContaining("DEKSDENFLOW_GITEA_API_BASE");
        assertThatThrownBy(() -> new GithubSettings("")).hasMessageContaining("DEKSDENFLOW_GITHUB_API_BASE");
        assertThatThrownBy(() -> new GitlabSettings("ftp://x")).hasMessageContaining("DEKSDENFLOW_GITLAB_API_BASE");
    }
}
