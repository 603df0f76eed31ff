package io.deksdenflow.orchestrator.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.engine.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** git_url rules without Spring: syntax (GitUrls) and where local repositories may be (GitUrlPolicy). */
class GitUrlPolicyTest {
    @TempDir Path tmp;

    static void refused(GitUrlPolicy policy, String url, String messagePart) {
        assertThatThrownBy(() -> policy.validate(url)).as(url)
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("git_url");
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }

    @Test
    void optionLikeHostsAndUsersAreRefused() {
        GitUrlPolicy any = GitUrlPolicy.unrestricted();
        refused(any, "ssh://-oProxyCommand=x/y", "host");
        refused(any, "ssh://-oProxyCommand=x@host/repo", "user");
        refused(any, "ssh://-oProxyCommand=touch%20/tmp/pwned@host/repo", "host");
        refused(any, "ssh://git@-oProxyCommand=x/repo", "host");
        refused(any, "ssh://%2DoProxyCommand=x/y", "host");
        refused(any, "git@-oProxyCommand=x:repo", "git_url");
        refused(any, "git@-oStrictHostKeyChecking:repo", "host");
        refused(any, "-u@host:repo", "'-'");
        refused(any, "https://-x@example.com/r.git", "user");
        assertThat(any.validate("ssh://git@host-with-dash.example:2222/org/r.git")).isEqualTo("ssh://git@host-with-dash.example:2222/org/r.git");
        assertThat(any.validate("git@gitlab.example:org/r-1.git")).isEqualTo("git@gitlab.example:org/r-1.git");
    }

    @Test
    void atMost2048Characters() {
        GitUrlPolicy any = GitUrlPolicy.unrestricted();
        String base = "https://example.com/";
        String ok = base + "a".repeat(GitUrls.MAX_LENGTH - base.length());
        assertThat(any.validate(ok)).hasSize(2048);
        refused(any, ok + "a", "longer than 2048 characters");
    }

    @Test
    void localRepositoriesInsideTheServicesOwnDirectoriesAreRefused() throws Exception {
        Path workspace = Files.createDirectories(tmp.resolve("service/workspace"));
        Path dbDir = Files.createDirectories(tmp.resolve("service/db"));
        Path keyFile = Files.writeString(dbDir.resolve("db.sqlite.key"), "k");
        Path elsewhere = Files.createDirectories(tmp.resolve("repos/origin.git"));
        GitUrlPolicy policy = new GitUrlPolicy(true, List.of(workspace, dbDir, keyFile));

        Files.createDirectories(workspace.resolve("projects/1/repo"));
        refused(policy, workspace.resolve("projects/1/repo").toString(), "workspace");
        refused(policy, "file://" + workspace.resolve("projects/1/repo"), "workspace");
        refused(policy, "file://" + workspace, "workspace");
        refused(policy, "file://" + dbDir, "workspace, database or key");
        refused(policy, "file://" + keyFile, "workspace, database or key");
        refused(policy, "file://" + workspace.resolve("not-yet-cloned"), "workspace");
        // percent-encoded, through a symlink, or with .. segments: still refused
        refused(policy, "file://" + workspace.toString().replace("/workspace", "/%77orkspace") + "/projects", "workspace");
        Path link = Files.createSymbolicLink(tmp.resolve("repos/innocent.git"), workspace.resolve("projects/1/repo"));
        refused(policy, "file://" + link, "workspace");
        refused(policy, link.toString(), "workspace");
        refused(policy, "file://" + elsewhere + "/../../service/workspace", "'..'");
        refused(policy, "file://other-host" + elsewhere, "file:///path");
        refused(policy, "file://" + elsewhere + "%00x", "control characters");
        refused(policy, "file://" + elsewhere + "%0a", "control characters");

        assertThat(policy.validate("file://" + elsewhere)).isEqualTo("file://" + elsewhere);
        assertThat(policy.validate(elsewhere.toString())).isEqualTo(elsewhere.toString());
        assertThat(policy.validate("https://github.com/org/r.git")).isEqualTo("https://github.com/org/r.git");
    }

    @Test
    void withLocalDisabledEveryLocalPathAndFileUrlIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("repos/origin.git"));
        GitUrlPolicy policy = new GitUrlPolicy(false, List.of());
        refused(policy, "file://" + elsewhere, "DEKSDENFLOW_GIT_LOCAL=false");
        refused(policy, "FILE://" + elsewhere, "DEKSDENFLOW_GIT_LOCAL=false");
        refused(policy, elsewhere.toString(), "DEKSDENFLOW_GIT_LOCAL=false");
        assertThat(policy.validate("https://github.com/org/r.git")).isEqualTo("https://github.com/org/r.git");
        assertThat(policy.validate("git@github.com:org/r.git")).isEqualTo("git@github.com:org/r.git");
    }

    @Test
    void gitClientsCheckThePolicyBeforeEveryUse() throws Exception {
        Path workspace = Files.createDirectories(tmp.resolve("ws"));
        GitClients clients = new GitClients(new ProcessRunner(), new GitUrlPolicy(false, List.of(workspace)));
        assertThatThrownBy(() -> clients.forProject("file://" + tmp.resolve("repo.git"), Map.of()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("git_url"));
        assertThat(clients.forProject("https://github.com/org/r.git", Map.of())).isNotNull();
    }
}
