package io.deksdenflow.orchestrator.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.events.EventStore;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectLifecycle;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * {@link BaseSyncLifecycle} on SQLite (api role: no worker takes the jobs): one sync or conflict fix per project at a
 * time, oldest protocol first; a conflict gets its fix turns, then blocks naming the files; a push meanwhile syncs
 * once more; a failed or cancelled job passes the turn on; an open_pr_job that waited follows the sync.
 */
class BaseSyncLifecycleTest extends ApiTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired BaseSyncLifecycle syncs;
    @Autowired ProtocolLifecycle lifecycle;
    @Autowired PlanningLifecycle planning;
    @Autowired JobLifecycle jobLifecycle;
    @Autowired ProjectLifecycle projectLifecycle;
    @Autowired ProtocolStore protocols;
    @Autowired EventStore eventStore;
    @Autowired NamedParameterJdbcTemplate jdbc;

    private Project project() {
        String name = "bs-" + UUID.randomUUID().toString().substring(0, 8);
        return projectLifecycle.created(new ProjectStore.NewProject(name, "https://github.com/acme/" + name + ".git", "main",
                null, null, Map.of(), Map.of(), null)).entity();
    }

    /** A planned protocol of {@code project} with one step. */
    private ProtocolRun planned(Project project, int number) {
        ProtocolRun p = lifecycle.created(new ProtocolStore.NewProtocol(project.id(), String.format("%04d-w", number), null,
                "main", null, false));
        lifecycle.act(p.id(), ProtocolAction.START);
        planning.planned(p.id(), List.of(new PlanningLifecycle.PlannedStep("00-step.md", StepType.WORK)), Map.of("step_count", 1));
        return protocols.get(p.id());
    }

    /** The job types enqueued (outbox rows) for a protocol, oldest first. */
    private List<String> jobs(long protocolId) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("SELECT job_type, payload FROM outbox ORDER BY id", Map.of())) {
            try {
                JsonNode j = JSON.readTree((String) row.get("payload"));
                long id = j.path(j.has("protocol_run_id") ? "protocol_run_id" : "protocolRunId").asLong();
                if (id == protocolId) out.add((String) row.get("job_type"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.stream().filter(t -> !t.equals("plan_protocol_job") && !t.equals("notify_job")).toList();
    }

    private List<String> eventTypes(long protocolId) {
        return eventStore.byProtocol(protocolId, null, 500).items().stream().map(Event::eventType).toList();
    }

    @Test
    void oneSyncPerProjectAtATimeOldestProtocolFirst() {
        Project project = project();
        ProtocolRun a = planned(project, 1);
        ProtocolRun b = planned(project, 2);
        ProtocolRun c = planned(project, 3);
        Project other = project();
        ProtocolRun d = planned(other, 1);

        assertThat(syncs.requested(c.id(), "push", false)).isTrue();
        assertThat(syncs.requested(b.id(), "push", false)).isFalse();
        assertThat(syncs.requested(a.id(), "push", false)).isFalse();
        assertThat(syncs.requested(d.id(), "push", false)).isTrue(); // another repository: its own turn
        assertThat(jobs(c.id())).containsExactly("sync_base_job");
        assertThat(jobs(a.id())).isEmpty();
        assertThat(jobs(b.id())).isEmpty();

        syncs.synced(c.id(), "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222",
                Map.of("base_branch", "main"));
        assertThat(jobs(a.id())).containsExactly("sync_base_job"); // the oldest waiting
        assertThat(jobs(b.id())).isEmpty();
        Event synced = eventStore.byProtocol(c.id(), null, 500).items().stream()
                .filter(e -> e.eventType().equals("base_synced")).findFirst().orElseThrow();
        assertThat(synced.metadata()).containsEntry("from", "1111111111111111111111111111111111111111")
                .containsEntry("to", "2222222222222222222222222222222222222222");

        syncs.upToDate(a.id());
        assertThat(jobs(b.id())).containsExactly("sync_base_job");
        syncs.upToDate(b.id());
        assertThat(syncs.find(a.id())).isEmpty();
        assertThat(syncs.find(b.id())).isEmpty();
        assertThat(syncs.find(c.id())).isEmpty();
    }

    @Test
    void aConflictGetsItsFixTurnThenBlocksNamingTheFiles() {
        Project project = project();
        ProtocolRun a = planned(project, 1);
        ProtocolRun b = planned(project, 2);
        syncs.requested(a.id(), "push", false);
        syncs.requested(b.id(), "push", false);

        syncs.conflicted(a.id(), List.of("src/a.txt", "b.txt"), Map.of("base_branch", "main"));
        assertThat(eventTypes(a.id())).contains("base_conflict");
        assertThat(jobs(a.id())).containsExactly("sync_base_job", "conflict_fix_job");
        assertThat(jobs(b.id())).isEmpty(); // the fix holds the project's turn
        assertThat(syncs.find(a.id()).orElseThrow().files()).containsExactly("src/a.txt", "b.txt");

        syncs.fixFailed(a.id(), List.of("src/a.txt", "b.txt"), "conflict markers are left in b.txt", Map.of());
        ProtocolRun blocked = protocols.get(a.id());
        assertThat(blocked.status()).isEqualTo(ProtocolStatus.BLOCKED);
        assertThat(blocked.lastError()).contains("src/a.txt, b.txt").contains("main");
        assertThat(eventTypes(a.id())).contains("conflict_fix_failed", "protocol_blocked");
        assertThat(jobs(a.id())).containsExactly("sync_base_job", "conflict_fix_job"); // no second turn (1 attempt)
        assertThat(jobs(b.id())).containsExactly("sync_base_job"); // the turn passed on
    }

    @Test
    void aPushDuringASyncSyncsOnceMoreAndAWaitingOpenPrFollows() {
        Project project = project();
        ProtocolRun a = planned(project, 1);
        syncs.requested(a.id(), "open_pr", true);
        syncs.requested(a.id(), "push", false); // the base moved again meanwhile
        syncs.upToDate(a.id());
        assertThat(jobs(a.id())).containsExactly("sync_base_job", "open_pr_job", "sync_base_job");
        syncs.upToDate(a.id());
        assertThat(jobs(a.id())).containsExactly("sync_base_job", "open_pr_job", "sync_base_job");
        assertThat(syncs.find(a.id())).isEmpty();
    }

    @Test
    void aTurnHeldLongerThanTheLostTimeIsTakenBack() {
        Project project = project();
        ProtocolRun a = planned(project, 1);
        ProtocolRun b = planned(project, 2);
        syncs.requested(a.id(), "push", false);
        assertThat(syncs.requested(b.id(), "push", false)).isFalse();
        // a's worker died: its turn is older than LOST_AFTER
        jdbc.update("UPDATE base_sync_slots SET claimed_at = :t WHERE project_id = :p",
                Map.of("t", System.currentTimeMillis() - BaseSyncQueue.LOST_AFTER.toMillis() - 1000, "p", project.id()));
        assertThat(syncs.requested(b.id(), "push", false)).isFalse(); // a is older: it waits again and goes first
        assertThat(jobs(a.id())).containsExactly("sync_base_job", "sync_base_job");
        assertThat(syncs.find(b.id()).orElseThrow().state()).isEqualTo(BaseSyncStore.WAITING);
    }

    @Test
    void aFailedOrCancelledSyncPassesTheTurnOnWithoutBlocking() {
        Project project = project();
        ProtocolRun a = planned(project, 1);
        ProtocolRun b = planned(project, 2);
        ProtocolRun c = planned(project, 3);
        syncs.requested(a.id(), "push", false);
        syncs.requested(b.id(), "push", false);
        syncs.requested(c.id(), "push", false);
        jobLifecycle.jobFailed(Job.create(JobType.SYNC_BASE_JOB, project.id(), a.id(), null, 3, null, 0),
                new JobFailure("fetch failed"), Map.of());
        assertThat(protocols.get(a.id()).status()).isEqualTo(ProtocolStatus.PLANNED);
        assertThat(protocols.get(a.id()).lastError()).contains("fetch failed");
        assertThat(jobs(b.id())).containsExactly("sync_base_job");
        jobLifecycle.jobCancelled(Job.create(JobType.SYNC_BASE_JOB, project.id(), b.id(), null, 3, null, 0), "cancelled", Map.of());
        assertThat(jobs(c.id())).containsExactly("sync_base_job");
    }
}
