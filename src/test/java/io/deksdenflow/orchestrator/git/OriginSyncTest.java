package io.deksdenflow.orchestrator.git;

import static io.deksdenflow.orchestrator.testsupport.TestRepos.gitBare;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.engine.ProcessRunner;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * Two workers, each with its own disk (a clone and worktrees of its own), on one bare origin over file://: origin's
 * protocol branch is the checkpoint. A worktree is built or brought to origin's head; a push goes through only over
 * the head the job started from.
 */
class OriginSyncTest {
    private static final String BRANCH = "0001-sync";
    @TempDir Path tmp;
    private String url;
    private Path origin;
    private GitClient a;
    private GitClient b;
    private Path repoA;
    private Path repoB;

    @BeforeEach
    void twoWorkers() {
        url = TestRepos.bareOrigin(tmp);
        origin = TestRepos.originPath(url);
        GitClients clients = new GitClients(new ProcessRunner());
        a = clients.forProject(url, Map.of());
        b = clients.forProject(url, Map.of());
        repoA = a.clone(url, tmp.resolve("worker-a/projects/1/repo"));
        repoB = b.clone(url, tmp.resolve("worker-b/projects/1/repo"));
    }

    @Test
    void aWorkerWithoutTheWorktreeBuildsItAtTheHeadAnotherWorkerPushed() {
        Path wtA = worktree(a, repoA, "worker-a");
        assertThat(OriginSync.toOrigin(a, wtA, BRANCH, "main")).isEmpty(); // a new branch: from the base
        String pushed = commitAndPush(a, wtA, "plan.md", "# plan\n", null);

        Path wtB = worktree(b, repoB, "worker-b");
        assertThat(OriginSync.toOrigin(b, wtB, BRANCH, "main")).contains(pushed);
        assertThat(b.headSha(wtB)).isEqualTo(pushed);
        assertThat(wtB.resolve("plan.md")).hasContent("# plan");
    }

    @Test
    void aStaleWorktreeIsBroughtToOriginsHeadAndLosesWorkItNeverPushed() {
        Path wtA = worktree(a, repoA, "worker-a");
        OriginSync.toOrigin(a, wtA, BRANCH, "main");
        String first = commitAndPush(a, wtA, "plan.md", "# plan\n", null);
        Path wtB = worktree(b, repoB, "worker-b");
        OriginSync.toOrigin(b, wtB, BRANCH, "main");
        // B leaves work it never pushed (a commit and an untracked file); A pushes the next step meanwhile
        TestRepos.write(wtB.resolve("unpushed.txt"), "lost\n");
        b.commitAll(wtB, "feat: never pushed");
        TestRepos.write(wtB.resolve("stray.txt"), "untracked\n");
        String second = commitAndPush(a, wtA, "step-1.txt", "one\n", first);

        assertThat(OriginSync.toOrigin(b, wtB, BRANCH, "main")).contains(second);
        assertThat(b.headSha(wtB)).isEqualTo(second);
        assertThat(wtB.resolve("step-1.txt")).hasContent("one");
        assertThat(wtB.resolve("unpushed.txt")).doesNotExist();
        assertThat(wtB.resolve("stray.txt")).doesNotExist();
        assertThat(b.statusPorcelain(wtB)).isBlank();
    }

    @Test
    void aPushOverAnotherHeadThanTheJobStartedFromIsRefusedAndOriginKeepsItsBranch() {
        Path wtA = worktree(a, repoA, "worker-a");
        OriginSync.toOrigin(a, wtA, BRANCH, "main");
        String first = commitAndPush(a, wtA, "plan.md", "# plan\n", null);
        Path wtB = worktree(b, repoB, "worker-b");
        String startB = OriginSync.toOrigin(b, wtB, BRANCH, "main").orElseThrow();
        String second = commitAndPush(a, wtA, "step-1.txt", "one\n", first); // A pushed after B started

        TestRepos.write(wtB.resolve("step-1.txt"), "B's\n");
        b.commitAll(wtB, "feat: B's step");
        assertThat(startB).isEqualTo(first);
        assertThatThrownBy(() -> OriginSync.pushLeased(b, wtB, BRANCH, startB)).isInstanceOf(GitException.class);
        assertThat(gitBare(origin, "rev-parse", BRANCH).strip()).isEqualTo(second);
        // a branch the job found missing must still be missing
        assertThatThrownBy(() -> OriginSync.pushLeased(b, wtB, BRANCH, null)).isInstanceOf(GitException.class);
        assertThat(gitBare(origin, "rev-parse", BRANCH).strip()).isEqualTo(second);
        // from origin's head it goes through, even when that rewinds B's own unpushed commit
        OriginSync.toOrigin(b, wtB, BRANCH, "main");
        String third = commitAndPush(b, wtB, "step-2.txt", "two\n", second);
        assertThat(gitBare(origin, "rev-parse", BRANCH).strip()).isEqualTo(third);
    }

    @Test
    void aNewWorktreeIsBuiltStraightAtOriginsHeadOrAtTheBaseForANewBranch() {
        Path wtA = tmp.resolve("worker-a/projects/1/worktrees/" + BRANCH);
        assertThat(OriginSync.newWorktree(a, repoA, wtA, BRANCH, "main")).isEmpty(); // origin has no such branch
        assertThat(a.headSha(wtA)).isEqualTo(TestRepos.git(repoA, "rev-parse", "origin/main").strip());
        String first = commitAndPush(a, wtA, "plan.md", "# plan\n", null);
        // B has an old local branch of the protocol and a record of a worktree whose directory is gone
        Path wtB = worktree(b, repoB, "worker-b");
        TestRepos.write(wtB.resolve("local.txt"), "lost\n");
        b.commitAll(wtB, "feat: local only");
        FileSystemUtils.deleteRecursively(wtB.toFile());

        assertThat(OriginSync.newWorktree(b, repoB, wtB, BRANCH, "main")).contains(first);
        assertThat(b.headSha(wtB)).isEqualTo(first);
        assertThat(wtB.resolve("plan.md")).hasContent("# plan");
        assertThat(wtB.resolve("local.txt")).doesNotExist();
        assertThat(b.statusPorcelain(wtB)).isBlank();
        // and it is a worktree the client knows: the next commit and leased push go through over origin's head
        String second = commitAndPush(b, wtB, "step-1.txt", "one\n", first);
        assertThat(gitBare(origin, "rev-parse", BRANCH).strip()).isEqualTo(second);
    }

    @Test
    void aWorktreeSettledAtOriginsHeadIsLeftAsItIsAndAnyOtherIsReset() {
        Path wtA = worktree(a, repoA, "worker-a");
        OriginSync.toOrigin(a, wtA, BRANCH, "main");
        String first = commitAndPush(a, wtA, "plan.md", "# plan\n", null);
        // settled at origin's head: nothing is fetched or reset (a file there stays, which shows it)
        TestRepos.write(wtA.resolve("marker.txt"), "left alone\n");
        assertThat(OriginSync.toOrigin(a, wtA, BRANCH, "main", first)).contains(first);
        assertThat(wtA.resolve("marker.txt")).exists();
        // settled elsewhere than origin's head: reset as always
        assertThat(OriginSync.toOrigin(a, wtA, BRANCH, "main", "0".repeat(40))).contains(first);
        assertThat(wtA.resolve("marker.txt")).doesNotExist();
    }

    @Test
    void aFinishedProtocolsWorktreeIsRemovedWithItsRecord() {
        Path wtA = worktree(a, repoA, "worker-a");
        TestRepos.write(wtA.resolve("dirty.txt"), "not committed\n");
        OriginSync.removeWorktree(a, repoA, wtA);
        assertThat(Files.exists(wtA)).isFalse();
        assertThat(TestRepos.git(repoA, "worktree", "list")).doesNotContain(BRANCH);
    }

    private Path worktree(GitClient git, Path repo, String worker) {
        return git.addWorktree(repo, tmp.resolve(worker + "/projects/1/worktrees/" + BRANCH), BRANCH, "main");
    }

    /** Commits a file and pushes it over {@code expected} (null: the branch must not exist); returns the commit. */
    private static String commitAndPush(GitClient git, Path wt, String file, String text, String expected) {
        TestRepos.write(wt.resolve(file), text);
        Optional<String> sha = git.commitAll(wt, "feat: " + file);
        OriginSync.pushLeased(git, wt, BRANCH, expected);
        return sha.orElseThrow();
    }
}
