package io.deksdenflow.orchestrator.git;

import static io.deksdenflow.orchestrator.testsupport.TestRepos.git;
import static io.deksdenflow.orchestrator.testsupport.TestRepos.gitBare;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.engine.ProcessRunner;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merge, rebase, conflicts and the lease-protected push on a real bare origin over file://. */
class GitMergesTest {
    @TempDir Path tmp;
    private String url;
    private Path origin;
    private GitClient g;
    private GitMerges merges;
    private Path wt;

    @BeforeEach
    void branchOnOrigin() {
        url = TestRepos.bareOrigin(tmp);
        origin = TestRepos.originPath(url);
        g = new GitClients(new ProcessRunner()).forProject(url, Map.of());
        merges = GitMerges.of(g);
        Path repo = g.clone(url, tmp.resolve("ws/repo"));
        wt = g.addWorktree(repo, tmp.resolve("ws/worktrees/0001-work"), "0001-work", "main");
        TestRepos.write(wt.resolve("shared.txt"), "ours\n");
        g.commitAll(wt, "feat: ours [protocol-0001/01]");
        g.push(wt, "0001-work");
    }

    /** A person pushes {@code file} = {@code text} to origin's main. */
    private String baseMoves(String file, String text) {
        Path person = tmp.resolve("person-" + System.nanoTime());
        git(tmp, "clone", "--quiet", url, person.toString());
        TestRepos.write(person.resolve(file), text);
        git(person, "add", "-A");
        git(person, "-c", "user.name=P", "-c", "user.email=p@example.test", "commit", "--quiet", "-m", "base: " + file);
        git(person, "push", "--quiet", "origin", "main");
        return git(person, "rev-parse", "HEAD").strip();
    }

    @Test
    void aCleanMergeIsAMergeCommitWithBothParents() {
        String base = baseMoves("README.md", "# moved\n");
        String before = g.headSha(wt);
        g.fetch(wt, null);
        assertThat(merges.contains(wt, "origin/main")).isFalse();
        GitMerges.Outcome o = merges.merge(wt, "main", "chore(sync): merge main");
        assertThat(o.clean()).isTrue();
        assertThat(o.head()).isEqualTo(g.headSha(wt));
        assertThat(git(wt, "log", "-1", "--format=%P %s").strip()).isEqualTo(before + " " + base + " chore(sync): merge main");
        assertThat(merges.contains(wt, "origin/main")).isTrue();
    }

    @Test
    void aConflictIsAbortedAndNamesItsFiles() {
        baseMoves("shared.txt", "theirs\n");
        String before = g.headSha(wt);
        g.fetch(wt, null);
        GitMerges.Sides sides = merges.sides(wt, "main");
        assertThat(sides.ours()).singleElement().asString().endsWith("feat: ours [protocol-0001/01]");
        assertThat(sides.theirs()).singleElement().asString().endsWith("base: shared.txt");

        GitMerges.Outcome o = merges.merge(wt, "main", "m");
        assertThat(o.clean()).isFalse();
        assertThat(o.conflicts()).containsExactly("shared.txt");
        // nothing half done: no merge in progress, the tree as it was
        assertThat(merges.merging(wt)).isFalse();
        assertThat(g.headSha(wt)).isEqualTo(before);
        assertThat(g.statusPorcelain(wt)).isBlank();
        assertThat(wt.resolve("shared.txt")).hasContent("ours");
    }

    @Test
    void aStartedMergeLeavesMarkersUntilResolvedAndCommitted() throws Exception {
        String base = baseMoves("shared.txt", "theirs\n");
        String before = g.headSha(wt);
        g.fetch(wt, null);
        GitMerges.Outcome o = merges.startMerge(wt, "main", "chore(sync): merge main");
        assertThat(o.conflicts()).containsExactly("shared.txt");
        assertThat(merges.merging(wt)).isTrue();
        assertThat(merges.unmerged(wt)).containsExactly("shared.txt");
        assertThat(merges.unresolved(wt, o.conflicts())).containsExactly("shared.txt");

        // a link in place of the file is not a resolution
        Files.delete(wt.resolve("shared.txt"));
        Files.createSymbolicLink(wt.resolve("shared.txt"), tmp.resolve("elsewhere.txt"));
        assertThat(merges.unresolved(wt, o.conflicts())).containsExactly("shared.txt");
        Files.delete(wt.resolve("shared.txt"));

        TestRepos.write(wt.resolve("shared.txt"), "ours\ntheirs\n=======\n"); // a setext line is no marker
        assertThat(merges.unresolved(wt, o.conflicts())).isEmpty();
        String head = merges.commitMerge(wt, "chore(sync): merge main\n\nResolved conflicts in: shared.txt");
        assertThat(git(wt, "log", "-1", "--format=%P").strip()).isEqualTo(before + " " + base);
        assertThat(head).isEqualTo(g.headSha(wt));
        assertThat(merges.merging(wt)).isFalse();
    }

    @Test
    void abortEndsAMergeInProgress() {
        baseMoves("shared.txt", "theirs\n");
        String before = g.headSha(wt);
        g.fetch(wt, null);
        merges.startMerge(wt, "main", "m");
        merges.abort(wt);
        assertThat(merges.merging(wt)).isFalse();
        assertThat(g.headSha(wt)).isEqualTo(before);
        assertThat(g.statusPorcelain(wt)).isBlank();
        merges.abort(wt); // nothing in progress: fine
    }

    @Test
    void aRebaseRewritesTheBranchAndItsConflictIsAborted() {
        String base = baseMoves("README.md", "# moved\n");
        g.fetch(wt, null);
        GitMerges.Outcome o = merges.rebase(wt, "main");
        assertThat(o.clean()).isTrue();
        assertThat(git(wt, "log", "-1", "--format=%P %s").strip()).isEqualTo(base + " feat: ours [protocol-0001/01]");

        baseMoves("shared.txt", "theirs\n");
        String before = g.headSha(wt);
        g.fetch(wt, null);
        GitMerges.Outcome c = merges.rebase(wt, "main");
        assertThat(c.conflicts()).containsExactly("shared.txt");
        assertThat(g.headSha(wt)).isEqualTo(before);
        assertThat(Files.exists(wt.resolve("../../repo/.git/worktrees/0001-work/rebase-merge"))).isFalse();
        assertThat(g.statusPorcelain(wt)).isBlank();
    }

    @Test
    void aRewrittenBranchIsPushedOnlyWhileOriginStillHasTheLeasedHead() {
        String leased = gitBare(origin, "rev-parse", "0001-work").strip();
        baseMoves("README.md", "# moved\n");
        g.fetch(wt, null);
        merges.rebase(wt, "main");
        // someone pushes to the branch meanwhile: the lease no longer holds, nothing is overwritten
        Path other = tmp.resolve("other");
        git(tmp, "clone", "--quiet", "--branch", "0001-work", url, other.toString());
        TestRepos.write(other.resolve("theirs.txt"), "x\n");
        git(other, "add", "-A");
        git(other, "-c", "user.name=O", "-c", "user.email=o@example.test", "commit", "--quiet", "-m", "someone else");
        git(other, "push", "--quiet", "origin", "0001-work");
        String theirs = gitBare(origin, "rev-parse", "0001-work").strip();
        assertThatThrownBy(() -> OriginSync.pushLeased(g, wt, "0001-work", leased)).isInstanceOf(GitException.class);
        assertThat(gitBare(origin, "rev-parse", "0001-work").strip()).isEqualTo(theirs);
        // with the head origin has, the rewritten branch goes
        OriginSync.pushLeased(g, wt, "0001-work", theirs);
        assertThat(gitBare(origin, "rev-parse", "0001-work").strip()).isEqualTo(g.headSha(wt));
        assertThat(List.of(g.headSha(wt))).doesNotContain(theirs);
    }
}
