package io.deksdenflow.orchestrator.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.secrets.SecretsKey;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing an agent can write is accepted as a git_url: not the engines' state, not a directory the
 * sandbox lets agents write, and not a repository elsewhere whose {@code .git} file or {@code commondir}
 * points into the service's own files.
 */
class GitUrlWhereAgentsWriteTest {
    @TempDir Path tmp;

    private static GitUrlPolicy policy(TestSettings s) {
        return new GitUrlPolicy(s.git(), s.api(), s.workspace(), s.database(), s.sandbox(),
                new SecretsKey(s.secrets(), s.workspace(), s.database()));
    }

    private TestSettings settings(String apiToken) {
        TestSettings s = new TestSettings();
        s.setWorkspace(tmp.resolve("service/workspace").toString());
        s.setDbPath(tmp.resolve("service/db/db.sqlite").toString());
        s.setEngineStateDir(tmp.resolve("service/engine-state").toString());
        s.setAgentSandboxWritable(tmp.resolve("cache") + ", " + tmp.resolve("npm"));
        s.setApiToken(apiToken);
        return s;
    }

    @Test
    void pathsAgentsCanWriteAndPointersIntoTheServicesFilesAreRefused() throws Exception {
        TestSettings s = settings("");
        GitUrlPolicy policy = policy(s);
        Path clone = Files.createDirectories(s.workspace().workspaceDir().resolve("projects/1/repo/.git"));
        Files.createDirectories(tmp.resolve("cache"));

        // a gitfile outside everything, pointing at another project's clone
        Path gitfile = Files.createDirectories(tmp.resolve("repos/innocent"));
        Files.writeString(gitfile.resolve(".git"), "gitdir: " + clone + "\n");
        refused(policy, gitfile.toString());
        refused(policy, "file://" + gitfile);
        // relative, as git reads it
        Path relative = Files.createDirectories(tmp.resolve("repos/relative"));
        Files.writeString(relative.resolve(".git"), "gitdir: ../../service/workspace/projects/1/repo/.git\n");
        refused(policy, relative.toString());
        // a git directory whose commondir is the clone's (as a linked worktree's is)
        Path common = Files.createDirectories(tmp.resolve("repos/common.git"));
        Files.writeString(common.resolve("commondir"), clone + "\n");
        refused(policy, common.toString());
        // a worktree whose .git points at a git directory whose commondir is the clone's
        Path chained = Files.createDirectories(tmp.resolve("repos/chained"));
        Files.writeString(chained.resolve(".git"), "gitdir: " + common + "\n");
        refused(policy, chained.toString());
        // where agents write: the sandbox-writable directories and the engines' state
        refused(policy, tmp.resolve("cache/origin.git").toString());
        refused(policy, "file://" + tmp.resolve("npm/x.git"));
        refused(policy, s.workspace().engineStateRoot().resolve("1/codex/planted.git").toString());

        String fine = TestRepos.bareOrigin(Files.createDirectories(tmp.resolve("repos/fine")));
        assertThat(policy.validate(fine)).isEqualTo(fine);
    }

    @Test
    void localGitUrlsNeedAnExplicitSettingOnAServiceWithAnApiToken() throws Exception {
        String url = TestRepos.bareOrigin(Files.createDirectories(tmp.resolve("repos/r")));
        TestSettings withToken = settings("api-token");
        assertThatThrownBy(() -> policy(withToken).validate(url))
                .isInstanceOf(ValidationException.class).hasMessageContaining("DEKSDENFLOW_GIT_LOCAL");
        withToken.set("git-local", true);
        assertThat(policy(withToken).validate(url)).isEqualTo(url);

        TestSettings open = settings("");
        assertThat(open.git().gitLocalAllowed(open.api().apiTokenSet())).isTrue();
        open.set("git-local", false);
        assertThat(open.git().gitLocalAllowed(open.api().apiTokenSet())).isFalse();
    }

    private static void refused(GitUrlPolicy policy, String url) {
        assertThatThrownBy(() -> policy.validate(url)).as(url)
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("git_url"));
    }
}
