package io.deksdenflow.orchestrator.git;

import static io.deksdenflow.orchestrator.testsupport.TestRepos.git;
import static io.deksdenflow.orchestrator.testsupport.TestRepos.gitBare;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.engine.ProcessResult;
import io.deksdenflow.orchestrator.engine.ProcessRunner;
import io.deksdenflow.orchestrator.engine.ProcessSpec;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitClientTest {
    @TempDir Path tmp;
    private String url;
    private Path origin;
    private final GitClients clients = new GitClients(new ProcessRunner());

    @BeforeEach
    void origin() {
        url = TestRepos.bareOrigin(tmp);
        origin = TestRepos.originPath(url);
    }

    @Test
    void clonesWorksInAWorktreeCommitsAndPushesToOrigin() throws Exception {
        GitClient g = clients.forProject(url, Map.of());
        Path repo = g.clone(url, tmp.resolve("ws/demo/repo"));
        assertThat(repo.resolve("README.md")).hasContent("# demo");

        Path wt = g.addWorktree(repo, tmp.resolve("ws/demo/worktrees/0001-add-login"), "0001-add-login", "main");
        assertThat(TestRepos.git(wt, "rev-parse", "--abbrev-ref", "HEAD").strip()).isEqualTo("0001-add-login");
        assertThat(gitBare(origin, "branch", "--list", "0001-add-login")).isBlank();

        TestRepos.write(wt.resolve(".protocols/0001-add-login/plan.md"), "# plan\n");
        assertThat(g.statusPorcelain(wt)).contains("?? .protocols/");

        Optional<String> sha = g.commitAll(wt, "chore(plan): plan protocol [protocol-0001/00]");
        assertThat(sha).isPresent();
        assertThat(g.headSha(wt)).isEqualTo(sha.get());
        assertThat(g.lastCommit(wt)).isEqualTo(new GitClient.Commit(sha.get(), "chore(plan): plan protocol [protocol-0001/00]"));
        assertThat(g.diffStat(wt, "main")).contains(".protocols/0001-add-login/plan.md").contains("1 file changed");

        g.push(wt, "0001-add-login");
        g.push(wt, "0001-add-login"); // already up to date is normal
        assertThat(gitBare(origin, "branch", "--list", "0001-add-login")).contains("0001-add-login");
        assertThat(gitBare(origin, "log", "-1", "--format=%H %cn %s", "0001-add-login"))
                .isEqualTo(sha.get() + " " + expectedCommitter(repo) + " chore(plan): plan protocol [protocol-0001/00]\n");
        assertThat(gitBare(origin, "show", "0001-add-login:.protocols/0001-add-login/plan.md")).isEqualTo("# plan\n");
    }

    /** The effective committer name: DeksdenFlow unless the machine's git config names someone. */
    private static String expectedCommitter(Path repo) {
        return git(repo, "config", "user.name").strip();
    }

    @Test
    void identityIsConfiguredLocallyWhenGitHasNone() {
        // git as on a fresh machine: no global or system config
        Path home = tmp.resolve("home");
        ProcessRunner bareMachine = new ProcessRunner() {
            @Override
            public ProcessResult run(ProcessSpec spec) {
                Map<String, String> env = new HashMap<>(spec.env());
                env.putAll(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.toString(), "GIT_CONFIG_NOSYSTEM", "1"));
                return super.run(spec.withEnv(env));
            }
        };
        GitClient g = new GitClients(bareMachine).forProject(url, Map.of());
        Path repo = g.clone(url, tmp.resolve("repo"));
        Path wt = g.addWorktree(repo, tmp.resolve("wt"), "0006-id", "main");
        TestRepos.write(wt.resolve("c.txt"), "c\n");
        g.commitAll(wt, "feat: c");
        g.push(wt, "0006-id");
        assertThat(gitBare(origin, "log", "-1", "--format=%an <%ae>|%cn <%ce>", "0006-id"))
                .isEqualTo("DeksdenFlow <orchestrator@deksdenflow.local>|DeksdenFlow <orchestrator@deksdenflow.local>\n");
    }

    @Test
    void cleanTreeCommitReturnsEmpty() {
        GitClient g = clients.forProject(url, Map.of());
        Path repo = g.clone(url, tmp.resolve("repo"));
        Path wt = g.addWorktree(repo, tmp.resolve("wt"), "0002-x", "main");
        String before = g.headSha(wt);
        assertThat(g.commitAll(wt, "nothing")).isEmpty();
        assertThat(g.headSha(wt)).isEqualTo(before);
    }

    @Test
    void aCommitIsThreeGitProcessesAndReportsTheCommitGitWrote() {
        GitClient g = clients.forProject(url, Map.of());
        Path repo = g.clone(url, tmp.resolve("repo"));
        git(repo, "config", "user.name", "Tester");
        git(repo, "config", "user.email", "tester@example.invalid");
        Path wt = g.addWorktree(repo, tmp.resolve("wt"), "0007-one-call", "main");
        TestRepos.write(wt.resolve("a.txt"), "a\n");
        int before = g.usage().processes();

        GitClient.Committed committed = g.commit(wt, "feat: a");
        // add -A, diff-index (what is staged, gitlinks), commit; the identity and the new head read as files
        assertThat(g.usage().processes() - before).isEqualTo(3);
        assertThat(committed.sha()).contains(git(wt, "rev-parse", "HEAD").strip());
        assertThat(committed.exact()).isTrue();
        assertThat(git(wt, "log", "-1", "--format=%an %s").strip()).isEqualTo("Tester feat: a");
        assertThat(g.commit(wt, "nothing").sha()).isEmpty();
        assertThat(g.statusPorcelain(wt)).isBlank();
    }

    @Test
    void gitsAutomaticMaintenanceRunsWhenAskedNotAfterACommit() {
        GitClient g = clients.forProject(url, Map.of());
        Path repo = g.clone(url, tmp.resolve("repo"));
        // gc is due when objects/17 holds more than gc.auto/256 loose objects: 1000 of them make that sure
        git(repo, "config", "gc.auto", "1");
        Path wt = g.addWorktree(repo, tmp.resolve("wt"), "0008-gc", "main");
        for (int i = 0; i < 1000; i++) TestRepos.write(wt.resolve("many/" + i + ".txt"), i + "\n");
        g.commitAll(wt, "feat: many");
        assertThat(looseObjects(repo)).isGreaterThan(1000); // the commit started no maintenance

        g.maintain(repo);
        assertThat(looseObjects(repo)).isZero();
        assertThat(git(wt, "log", "-1", "--format=%s").strip()).isEqualTo("feat: many");
    }

    private static int looseObjects(Path repo) {
        return Integer.parseInt(git(repo, "count-objects").split(" ")[0].strip());
    }

    @Test
    void worktreeIsReusedAndChecksOutOriginsExistingBranch() {
        GitClient g = clients.forProject(url, Map.of());
        Path repo = g.clone(url, tmp.resolve("repo"));
        Path wt = g.addWorktree(repo, tmp.resolve("wt"), "0003-y", "main");
        TestRepos.write(wt.resolve("a.txt"), "a\n");
        String sha = g.commitAll(wt, "feat: a [protocol-0003/01]").orElseThrow();
        g.push(wt, "0003-y");
        assertThat(g.addWorktree(repo, tmp.resolve("wt"), "0003-y", "main")).isEqualTo(wt.toAbsolutePath());

        // A fresh clone (another machine) picks up origin's branch instead of starting from main.
        Path repo2 = g.clone(url, tmp.resolve("repo2"));
        Path wt2 = g.addWorktree(repo2, tmp.resolve("wt2"), "0003-y", "main");
        assertThat(g.headSha(wt2)).isEqualTo(sha);
        assertThat(wt2.resolve("a.txt")).exists();
        // cloning again into an existing clone fetches instead of failing
        assertThat(g.clone(url, tmp.resolve("repo2"))).isEqualTo(repo2);
    }

    @Test
    void localPathIsClonedNotWorkedInPlace() {
        GitClient g = clients.forProject(origin.toString(), Map.of());
        Path repo = g.clone(origin.toString(), tmp.resolve("clone"));
        assertThat(repo).isNotEqualTo(origin);
        assertThat(repo.resolve(".git")).isDirectory();
        assertThat(git(repo, "remote", "get-url", "origin").strip()).isEqualTo(origin.toString());
    }

    @Test
    void rejectsOptionLikeAndRemoteHelperUrls() {
        GitClient g = clients.forProject(url, Map.of());
        for (String bad : new String[] {"--upload-pack=touch /tmp/pwned", "ext::sh -c touch% /tmp/pwned",
                "fd::17", "http://example.com/r.git", "git://example.com/r.git", "relative/path", ""}) {
            assertThatThrownBy(() -> g.clone(bad, tmp.resolve("bad")))
                    .as(bad).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("git_url"));
        }
        assertThat(tmp.resolve("bad")).doesNotExist();
        assertThat(GitUrls.validate("git@github.com:org/repo.git")).isEqualTo("git@github.com:org/repo.git");
        assertThat(GitUrls.validate("ssh://git@gitlab.com/org/repo.git")).startsWith("ssh://");
        assertThat(GitUrls.validate("https://github.com/org/repo.git")).startsWith("https://");
    }

    @Test
    void tokenGoesThroughEnvironmentScopedToTheHostNeverArgvAndIsRedacted() {
        String token = "ghp_SuperSecretToken123";
        GitClient g = clients.forProject("https://github.com/org/repo.git", Map.of("GIT_TOKEN", token));
        Map<String, String> env = g.environment();
        assertThat(env).containsEntry("GIT_TERMINAL_PROMPT", "0")
                .containsEntry("GIT_CONFIG_COUNT", "1")
                .containsEntry("GIT_CONFIG_KEY_0", "http.https://github.com/.extraHeader");
        String basic = java.util.Base64.getEncoder().encodeToString(("x-access-token:" + token).getBytes());
        assertThat(env.get("GIT_CONFIG_VALUE_0")).isEqualTo("Authorization: Basic " + basic);
        assertThat(g.redact("token " + token + " header " + basic + " url https://u:" + token + "@h/x"))
                .isEqualTo("token *** header *** url https://***@h/x");
    }

    @Test
    void errorsAreRedactedOfSecretsAndUserinfo() throws Exception {
        String token = "glpat-VerySecret987";
        String secretUrl = "https://oauth2:" + token + "@127.0.0.1:9/nowhere.git";
        GitClient g = clients.forProject(secretUrl, Map.of("GITLAB_TOKEN", token));
        assertThatThrownBy(() -> g.clone(secretUrl, tmp.resolve("c")))
                .isInstanceOf(GitException.class)
                .hasMessageContaining("git clone failed")
                .hasMessageNotContaining(token)
                .hasMessageNotContaining("oauth2:");
        // the token never lands in the clone's config either
        assertThat(Files.exists(tmp.resolve("c/.git/config"))).isFalse();
    }

    @Test
    void tokenNeverWrittenToRepositoryConfig() throws Exception {
        String token = "ghp_NotInConfig42";
        GitClient g = clients.forProject(url, Map.of("GITHUB_TOKEN", token));
        Path repo = g.clone(url, tmp.resolve("repo"));
        assertThat(Files.readString(repo.resolve(".git/config"))).doesNotContain(token);
    }

    @Test
    void unknownBaseBranchIsAValidationError() {
        GitClient g = clients.forProject(url, Map.of());
        Path repo = g.clone(url, tmp.resolve("repo"));
        assertThatThrownBy(() -> g.addWorktree(repo, tmp.resolve("wt"), "0004-z", "develop"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("base_branch"));
        assertThatThrownBy(() -> g.addWorktree(repo, tmp.resolve("wt"), "-delete", "main"))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void pushFailureIsARetryableGitException() {
        GitClient g = clients.forProject(url, Map.of());
        Path repo = g.clone(url, tmp.resolve("repo"));
        Path wt = g.addWorktree(repo, tmp.resolve("wt"), "0005-w", "main");
        TestRepos.write(wt.resolve("b.txt"), "b\n");
        g.commitAll(wt, "feat: b");
        git(repo, "remote", "set-url", "origin", tmp.resolve("gone.git").toUri().toString());
        assertThatThrownBy(() -> g.push(wt, "0005-w")).isInstanceOf(GitException.class).hasMessageContaining("git push failed");
    }
}
