package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.deksdenflow.orchestrator.config.WorkspaceCacheSettings;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.engine.ProcessRunner;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.git.GitClients;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.protocol.JobLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepLifecycle;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import io.deksdenflow.orchestrator.worker.ProtocolLeases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cache hygiene with real git: the worktree of a protocol finished longer than DEKSDENFLOW_WORKTREE_TTL_HOURS ago
 * is removed (files and git's record of it), an active or recently finished one is kept, a link in the worktrees
 * directory is never followed; the workspace's size is on the {@code workspace_cache_bytes} gauge.
 */
class WorktreeSweeperTest {
    @TempDir Path tmp;
    private final ProtocolStore protocols = mock(ProtocolStore.class);
    private final ProjectStore projects = mock(ProjectStore.class);
    private final Project project = mock(Project.class);
    private final List<ProtocolRun> runs = new ArrayList<>();

    @Test
    void removesTheWorktreesOfProtocolsFinishedLongerThanTheTtlAgoOnly() throws Exception {
        String url = TestRepos.bareOrigin(tmp);
        when(project.id()).thenReturn(1L);
        when(project.gitUrl()).thenReturn(url);
        when(project.baseBranch()).thenReturn("main");
        when(project.secrets()).thenReturn(Map.of());
        when(projects.get(1L)).thenReturn(project);
        Workspace ws = new Workspace(WorkspaceSettings.of(tmp.resolve("ws")), new WorkspaceCacheSettings(false, 1));
        JobScope scope = new JobScope(projects, protocols, mock(StepStore.class), new GitClients(new ProcessRunner()),
                mock(StepLifecycle.class), mock(JobLifecycle.class), ws, mock(ProtocolLeases.class));
        long now = System.currentTimeMillis();
        Path done = worktree(scope, ws, "0001-done", ProtocolStatus.COMPLETED, now - 2 * 3_600_000L);
        Path failed = worktree(scope, ws, "0002-failed", ProtocolStatus.FAILED, now - 3 * 3_600_000L);
        Path active = worktree(scope, ws, "0003-active", ProtocolStatus.RUNNING, now - 5 * 3_600_000L);
        Path recent = worktree(scope, ws, "0004-recent", ProtocolStatus.COMPLETED, now - 60_000L);
        // a link where a worktree would be, named like a finished protocol: never followed
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        TestRepos.write(outside.resolve("keep.txt"), "keep\n");
        Files.createSymbolicLink(ws.projectDir(1).resolve("worktrees/0005-link"), outside);
        runs.add(run("0005-link", ProtocolStatus.COMPLETED, now - 9 * 3_600_000L));
        when(protocols.findByNames(any(), any())).thenReturn(runs);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // the finished protocol 0002 has a job running (a review fix) that holds its lease: swept on a later pass
        ProtocolLeases leases = mock(ProtocolLeases.class);
        ProtocolLeases.Lease free = mock(ProtocolLeases.Lease.class);
        ProtocolLeases.Lease busy = mock(ProtocolLeases.Lease.class);
        when(free.granted()).thenReturn(true);
        when(leases.acquire(anyLong(), anyString())).thenReturn(free);
        when(leases.acquire(eq(runs.get(1).id()), anyString())).thenReturn(busy, free);
        WorktreeSweeper sweeper = new WorktreeSweeper(ws, protocols, scope, leases, new WorkspaceCacheSettings(false, 1),
                registry);

        assertThat(sweeper.sweep()).isEqualTo(1);
        assertThat(done).doesNotExist();
        assertThat(failed.resolve("README.md")).as("its job holds the lease").exists();
        verify(busy).close();
        assertThat(sweeper.sweep()).isEqualTo(1); // the job ended
        assertThat(done).doesNotExist();
        assertThat(failed).doesNotExist();
        assertThat(active.resolve("README.md")).exists();
        assertThat(recent.resolve("README.md")).exists();
        assertThat(outside.resolve("keep.txt")).hasContent("keep");
        String list = TestRepos.git(ws.repo(1), "worktree", "list");
        assertThat(list).doesNotContain("0001-done").doesNotContain("0002-failed").contains("0003-active").contains("0004-recent");
        assertThat(ws.checkouts().get(done)).isEmpty();
        assertThat(ws.checkouts().get(active)).isPresent();
        double bytes = registry.get("workspace_cache_bytes").gauge().value();
        assertThat(bytes).isPositive().isEqualTo((double) WorktreeSweeper.size(ws.root()));

        // a job of the finished protocol later builds its worktree again from its branch
        ProtocolRun again = runs.get(0);
        assertThat(Worktrees.ensure(scope.git(project), ws, project, again)).isEqualTo(done);
        assertThat(done.resolve("README.md")).exists();
    }

    @Test
    void aTtlOfZeroKeepsEveryWorktreeAndStillMeasures() {
        Workspace ws = new Workspace(WorkspaceSettings.of(tmp.resolve("ws")), new WorkspaceCacheSettings(true, 0));
        TestRepos.write(ws.projectDir(1).resolve("worktrees/0001-x/file.txt"), "12345");
        List<ProtocolRun> finished = List.of(run("0001-x", ProtocolStatus.COMPLETED, 0));
        when(protocols.findByNames(any(), any())).thenReturn(finished);
        WorktreeSweeper sweeper = new WorktreeSweeper(ws, protocols, mock(JobScope.class),
                new ProtocolLeases(null, "", false, Duration.ofSeconds(60)), new WorkspaceCacheSettings(true, 0),
                new SimpleMeterRegistry());
        assertThat(sweeper.sweep()).isZero();
        assertThat(ws.projectDir(1).resolve("worktrees/0001-x/file.txt")).exists();
        assertThat(sweeper.cacheBytes()).isEqualTo(5);
    }

    private Path worktree(JobScope scope, Workspace ws, String name, ProtocolStatus status, long updatedAt) {
        ProtocolRun run = run(name, status, updatedAt);
        runs.add(run);
        GitClient git = scope.git(project);
        return Worktrees.ensure(git, ws, project, run);
    }

    private static ProtocolRun run(String name, ProtocolStatus status, long updatedAt) {
        ProtocolRun run = mock(ProtocolRun.class);
        when(run.id()).thenReturn((long) name.hashCode());
        when(run.projectId()).thenReturn(1L);
        when(run.protocolName()).thenReturn(name);
        when(run.baseBranch()).thenReturn("main");
        when(run.status()).thenReturn(status);
        when(run.updatedAt()).thenReturn(updatedAt);
        return run;
    }
}
