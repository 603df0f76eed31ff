package io.deksdenflow.orchestrator.git;

import static io.deksdenflow.orchestrator.testsupport.TestRepos.git;
import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.engine.ProcessRunner;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A nested repository an agent made in its worktree, carrying a clean filter in its own
 * {@code .git/config}: the service's {@code add}, {@code status} and {@code diff} must never run it,
 * and the commit must not record the nested repository as a gitlink.
 */
class GitNestedRepoTest {
    @TempDir Path tmp;
    private final GitClients clients = new GitClients(new ProcessRunner());

    /** What the hostile agent does: a committed nested repo, then a filter defined in its config, then a change. */
    static void plantNestedRepoWithFilter(Path wt, Path marker, String nestedGit) throws Exception {
        Path sub = wt.resolve("sub");
        Files.createDirectories(sub);
        git(sub, "init", "-q");
        TestRepos.write(sub.resolve("a.txt"), "one\n");
        git(sub, "add", "-A");
        git(sub, "-c", "user.name=Agent", "-c", "user.email=agent@example.test", "commit", "-q", "-m", "nested");
        Path script = wt.resolve("filter.sh");
        TestRepos.write(script, "#!/bin/sh\necho ran-by-$PPID >> '" + marker + "'\ncat\n");
        script.toFile().setExecutable(true);
        git(sub, "config", "filter.x.clean", "sh " + script);
        git(sub, "config", "filter.x.smudge", "sh " + script);
        git(sub, "config", "diff.x.textconv", "sh " + script);
        TestRepos.write(sub.resolve(".gitattributes"), "* filter=x diff=x\n");
        TestRepos.write(sub.resolve("a.txt"), "two\n");
        TestRepos.write(sub.resolve("b.txt"), "new\n");
        if (nestedGit != null) {
            // a second nested repo whose .git is a gitfile pointing back at the first one's
            Path other = Files.createDirectories(wt.resolve("deep/other"));
            Files.writeString(other.resolve(".git"), "gitdir: " + sub.resolve(".git") + "\n");
            TestRepos.write(other.resolve("c.txt"), "c\n");
        }
    }

    @Test
    void aNestedRepositoryIsNeitherRecursedIntoNorCommittedAsAGitlink() throws Exception {
        String url = TestRepos.bareOrigin(tmp);
        GitClient g = clients.forProject(url, Map.of());
        Path repo = g.clone(url, tmp.resolve("repo"));
        Path wt = g.addWorktree(repo, tmp.resolve("wt"), "0001-nested", "main");
        Path marker = tmp.resolve("filter-ran");
        plantNestedRepoWithFilter(wt, marker, "gitfile");
        assertThat(wt.resolve("sub/.git/config")).content().contains("clean = sh");

        g.statusPorcelain(wt);
        String first = g.headSha(wt);
        g.commitAll(wt, "feat: agent work");
        g.statusPorcelain(wt);
        g.diffStat(wt, "main");
        g.diffSince(wt, first, "main");
        TestRepos.write(wt.resolve("sub/a.txt"), "three\n");
        g.statusPorcelain(wt);
        g.commitAll(wt, "feat: more");

        assertThat(marker).doesNotExist();
        String tree = git(wt, "ls-tree", "-r", "HEAD");
        assertThat(tree).doesNotContain("160000").contains("sub/a.txt", "sub/b.txt", "deep/other/c.txt");
        assertThat(tree).doesNotContainPattern("/\\.git(/|\\n)");
        assertThat(wt.resolve("sub/.git")).doesNotExist();
        assertThat(wt.resolve("deep/other/.git")).doesNotExist();
    }

    @Test
    void aGitlinkAlreadyStagedByTheAgentIsNotCommitted() throws Exception {
        String url = TestRepos.bareOrigin(tmp);
        GitClient g = clients.forProject(url, Map.of());
        Path repo = g.clone(url, tmp.resolve("repo"));
        Path wt = g.addWorktree(repo, tmp.resolve("wt"), "0002-gitlink", "main");
        // without a sandbox an agent can write the index: a gitlink to a commit nobody has
        git(wt, "update-index", "--add", "--cacheinfo", "160000,1111111111111111111111111111111111111111,vendored");
        Files.createDirectories(wt.resolve("vendored")); // an unpopulated submodule, as a fresh clone has it
        TestRepos.write(wt.resolve("x.txt"), "x\n");
        g.commitAll(wt, "feat: x");
        assertThat(git(wt, "ls-tree", "-r", "HEAD")).doesNotContain("160000").contains("x.txt");
    }
}
