package io.deksdenflow.orchestrator.execution;

import static io.deksdenflow.orchestrator.testsupport.TestRepos.gitBare;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
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
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepLifecycle;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.queue.EmbeddedRedis;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import io.deksdenflow.orchestrator.worker.ProtocolLeaseLostException;
import io.deksdenflow.orchestrator.worker.ProtocolLeases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Workers with their own disks on one bare origin (file://) and one Redis: the handlers' worktree
 * ({@link Worktrees#ensure}) is built from what another worker pushed, and their push ({@link JobScope#push})
 * goes out only under the protocol's lease.
 */
class LeasedPushTest {
    private static final String BRANCH = "0001-leased";
    private static EmbeddedRedis server;
    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate redis;

    @TempDir Path tmp;
    private final String ns = "leased-push-" + System.nanoTime();
    private final StepLifecycle stepLifecycle = mock(StepLifecycle.class);
    private final ProjectStore projects = mock(ProjectStore.class);
    private final Project project = mock(Project.class);
    private final ProtocolRun run = mock(ProtocolRun.class);
    private final GitClients clients = new GitClients(new ProcessRunner());
    private ProtocolLeases leasesA;
    private ProtocolLeases leasesB;
    private Path origin;

    @BeforeAll
    static void start() {
        server = EmbeddedRedis.start(0);
        RedisStandaloneConfiguration conf = new RedisStandaloneConfiguration("127.0.0.1", server.port());
        conf.setPassword(server.password());
        factory = new LettuceConnectionFactory(conf);
        factory.afterPropertiesSet();
        redis = new StringRedisTemplate(factory);
    }

    @AfterAll
    static void stop() {
        factory.destroy();
        server.stop();
    }

    @BeforeEach
    void protocol() {
        String url = TestRepos.bareOrigin(tmp);
        origin = TestRepos.originPath(url);
        when(project.id()).thenReturn(1L);
        when(project.gitUrl()).thenReturn(url);
        when(project.baseBranch()).thenReturn("main");
        when(project.secrets()).thenReturn(Map.of());
        when(projects.get(1L)).thenReturn(project);
        when(run.id()).thenReturn(2L);
        when(run.projectId()).thenReturn(1L);
        when(run.protocolName()).thenReturn(BRANCH);
        when(run.baseBranch()).thenReturn("main");
        leasesA = new ProtocolLeases(redis, ns, true, Duration.ofSeconds(30));
        leasesB = new ProtocolLeases(redis, ns, true, Duration.ofSeconds(30));
    }

    @AfterEach
    void closeLeases() {
        leasesA.destroy();
        leasesB.destroy();
    }

    Workspace workspace(String worker) {
        return new Workspace(WorkspaceSettings.of(tmp.resolve(worker)), new WorkspaceCacheSettings(false, 168));
    }

    JobScope scope(Workspace workspace, ProtocolLeases leases) {
        return new JobScope(projects, mock(ProtocolStore.class), mock(StepStore.class), clients, stepLifecycle,
                mock(JobLifecycle.class), workspace, leases);
    }

    static Job job(JobType type) {
        return Job.create(type, 1L, 2L, 3L, 3, "r", 0);
    }

    @Test
    void aWorkerWhoseProtocolLeaseWasTakenCannotPushAndOriginKeepsItsBranch() {
        Workspace ws = workspace("worker-a");
        JobScope scope = scope(ws, leasesA);
        assertThat(leasesA.acquire(job(JobType.EXECUTE_STEP_JOB)).granted()).isTrue();
        GitClient git = scope.git(project);
        Path wt = Worktrees.ensure(git, ws, project, run);
        TestRepos.write(wt.resolve("plan.md"), "# plan\n");
        String planned = git.commitAll(wt, "chore(plan): plan [protocol-0001/00]").orElseThrow();
        assertThat(scope.push(git, wt, run)).isEqualTo(planned); // held: pushed
        assertThat(gitBare(origin, "rev-parse", BRANCH).strip()).isEqualTo(planned);

        TestRepos.write(wt.resolve("step.txt"), "late\n");
        String late = git.commitAll(wt, "feat: late work [protocol-0001/01]").orElseThrow();
        // the lease expired (this worker stalled) and another worker's job holds the protocol now
        redis.delete(ns + ":protocol-lease:2");
        assertThat(leasesB.acquire(job(JobType.RUN_QUALITY_JOB)).granted()).isTrue();

        assertThatThrownBy(() -> scope.push(git, wt, run)).isInstanceOf(ProtocolLeaseLostException.class);
        assertThat(gitBare(origin, "rev-parse", BRANCH).strip()).isEqualTo(planned);
        verify(stepLifecycle).pushed(2L, planned);
        verify(stepLifecycle, never()).pushed(anyLong(), eq(late));
    }

    @Test
    void aWorkerWithoutTheWorktreeBuildsItAtTheHeadAnotherWorkerPushedThenKeepsIt() {
        Workspace wsA = workspace("worker-a");
        JobScope scopeA = scope(wsA, leasesA);
        ProtocolLeases.Lease leaseA = leasesA.acquire(job(JobType.PLAN_PROTOCOL_JOB));
        GitClient gitA = scopeA.git(project);
        Path wtA = Worktrees.ensure(gitA, wsA, project, run);
        TestRepos.write(wtA.resolve("plan.md"), "# plan\n");
        gitA.commitAll(wtA, "chore(plan): plan [protocol-0001/00]");
        String pushedByA = scopeA.push(gitA, wtA, run);
        leaseA.close();

        Workspace wsB = workspace("worker-b");
        JobScope scopeB = scope(wsB, leasesB);
        assertThat(leasesB.acquire(job(JobType.EXECUTE_STEP_JOB)).granted()).isTrue();
        GitClient gitB = scopeB.git(project);
        Path wtB = Worktrees.ensure(gitB, wsB, project, run);
        assertThat(wtB).isNotEqualTo(wtA);
        assertThat(gitB.headSha(wtB)).isEqualTo(pushedByA);
        assertThat(wtB.resolve("plan.md")).hasContent("# plan");
        assertThat(wsB.checkouts().get(wtB).orElseThrow().cold()).isTrue();
        assertThat(wsB.checkouts().get(wtB).orElseThrow().originHead()).isEqualTo(pushedByA);

        TestRepos.write(wtB.resolve("step.txt"), "B\n");
        String b1 = gitB.commitAll(wtB, "feat: step [protocol-0001/01]").orElseThrow();
        assertThat(scopeB.push(gitB, wtB, run)).isEqualTo(b1);
        assertThat(Worktrees.ensure(gitB, wsB, project, run)).isEqualTo(wtB);
        assertThat(wsB.checkouts().get(wtB).orElseThrow().cold()).isFalse(); // warm: on this disk already
        assertThat(gitBare(origin, "rev-parse", BRANCH).strip()).isEqualTo(b1);
    }
}
