package io.deksdenflow.orchestrator.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.engine.ProcessRunner;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A local origin (a path or file:// URL) is a repository someone else may have written: its hooks
 * never run when the service clones from it, fetches from it or pushes to it.
 */
class GitOriginHooksTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"path", "file-url"})
    void noHookOfALocalOriginRunsOnCloneFetchOrPush(String form) throws Exception {
        String fileUrl = TestRepos.bareOrigin(tmp);
        Path origin = TestRepos.originPath(fileUrl);
        Path marker = tmp.resolve("hook-ran");
        for (String hook : List.of("pre-receive", "update", "post-receive", "post-update", "reference-transaction",
                "proc-receive", "push-to-checkout", "pre-upload-pack", "post-upload-pack")) {
            Path h = origin.resolve("hooks").resolve(hook);
            Files.createDirectories(h.getParent());
            Files.writeString(h, "#!/bin/sh\necho " + hook + " >> '" + marker + "'\ncat >/dev/null\nexit 0\n");
            Files.setPosixFilePermissions(h, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        // the hooks work: git's own push runs them
        Path probe = tmp.resolve("probe");
        TestRepos.git(tmp, "clone", "--quiet", fileUrl, probe.toString());
        TestRepos.git(probe, "push", "--quiet", "origin", "HEAD:refs/heads/probe");
        assertThat(marker).as("precondition: the origin's hooks run for a plain git push").exists();
        Files.delete(marker);

        String url = form.equals("path") ? origin.toString() : fileUrl;
        GitClient g = new GitClients(new ProcessRunner()).forProject(url, Map.of());
        Path repo = g.clone(url, tmp.resolve("ws/repo"));
        Path wt = g.addWorktree(repo, tmp.resolve("ws/wt"), "0001-x", "main");
        TestRepos.write(wt.resolve("work.txt"), "work\n");
        assertThat(g.commitAll(wt, "work [protocol-0001/01]")).isPresent();
        g.push(wt, "0001-x");
        g.fetch(repo, null);
        g.fetch(repo, "0001-x");

        assertThat(TestRepos.gitBare(origin, "show", "0001-x:work.txt")).isEqualTo("work\n");
        assertThat(marker).as("a hook of the local origin ran").doesNotExist();
    }
}
