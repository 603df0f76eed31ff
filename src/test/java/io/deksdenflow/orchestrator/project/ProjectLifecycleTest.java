package io.deksdenflow.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.IllegalTransitionException;
import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.events.EventStore;
import io.deksdenflow.orchestrator.dispatch.ActionResult;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** ProjectLifecycle on SQLite: every project status change goes through the table and has its event. */
class ProjectLifecycleTest extends ApiTestBase {
    @Autowired
    ProjectLifecycle lifecycle;
    @Autowired
    ProjectStore projects;
    @Autowired
    EventStore eventStore;

    private Project created() {
        String name = unique("plc");
        ActionResult<Project> r = lifecycle.created(new ProjectStore.NewProject(name, "file:///tmp/" + name + ".git", "main",
                null, null, Map.of(), Map.of("K", "v"), null));
        assertThat(r.job().type()).isEqualTo(JobType.PROJECT_SETUP_JOB);
        return r.entity();
    }

    private List<Event> events(long projectId) {
        List<Event> out = new ArrayList<>(eventStore.byProject(projectId, null, 500).items());
        Collections.reverse(out);
        return out;
    }

    private List<String> types(long projectId) {
        return events(projectId).stream().map(Event::eventType).toList();
    }

    private static Job setupJob(Project p) {
        return Job.create(JobType.PROJECT_SETUP_JOB, p.id(), null, null, 3, null, System.currentTimeMillis());
    }

    @Test
    void setupStartedThenReady() {
        Project p = created();
        assertThat(p.status()).isEqualTo(ProjectStatus.PENDING);
        assertThat(types(p.id())).containsExactly("project_created");
        assertThat(lifecycle.setupStarted(p.id()).status()).isEqualTo(ProjectStatus.SETTING_UP);
        // a retry of the job finds it setting up: no second event
        assertThat(lifecycle.setupStarted(p.id()).status()).isEqualTo(ProjectStatus.SETTING_UP);
        Project ready = lifecycle.setupReady(p.id(), "/srv/ws/repo");
        assertThat(ready.status()).isEqualTo(ProjectStatus.READY);
        assertThat(ready.localPath()).isEqualTo("/srv/ws/repo");
        assertThat(types(p.id())).containsExactly("project_created", "project_setup_started", "project_ready");
        Event readyEvent = events(p.id()).get(2);
        assertThat(readyEvent.metadata()).containsEntry("from", "setting_up").containsEntry("to", "ready")
                .doesNotContainValue("/srv/ws/repo");
    }

    @Test
    void readyOnlyFromSettingUp() {
        Project p = created();
        assertThatThrownBy(() -> lifecycle.setupReady(p.id(), "/x")).isInstanceOf(IllegalTransitionException.class);
        assertThat(projects.get(p.id()).status()).isEqualTo(ProjectStatus.PENDING);
        assertThat(types(p.id())).containsExactly("project_created");
    }

    @Test
    void aFailedSetupFailsTheProjectWithItsEvent() {
        Project p = created();
        lifecycle.setupStarted(p.id());
        lifecycle.setupFailed(setupJob(p), new JobFailure("clone refused"), Map.of());
        Project failed = projects.get(p.id());
        assertThat(failed.status()).isEqualTo(ProjectStatus.FAILED);
        assertThat(failed.lastError()).isEqualTo("clone refused");
        assertThat(types(p.id())).endsWith("job_failed", "project_setup_failed");
    }

    @Test
    void aSetupJobThatFailsBeforeItStartedFailsAPendingProject() {
        Project p = created();
        lifecycle.setupFailed(setupJob(p), new UntrustedContentException(UntrustedContentException.UNSAFE_PATH, "link"),
                Map.of());
        assertThat(projects.get(p.id()).status()).isEqualTo(ProjectStatus.FAILED);
        assertThat(types(p.id())).containsExactly("project_created", "unsafe_path", "job_failed", "project_setup_failed");
        assertThat(events(p.id()).get(3).metadata()).containsEntry("from", "pending").containsEntry("to", "failed");
    }

    @Test
    void aFailedRefreshOfAReadyProjectLeavesItReady() {
        Project p = created();
        lifecycle.setupStarted(p.id());
        lifecycle.setupReady(p.id(), "/r");
        ActionResult<Project> again = lifecycle.setupRequested(p.id());
        assertThat(again.job().type()).isEqualTo(JobType.PROJECT_SETUP_JOB);
        lifecycle.setupFailed(setupJob(p), new JobFailure("fetch failed"), Map.of());
        assertThat(projects.get(p.id()).status()).isEqualTo(ProjectStatus.READY);
        assertThat(types(p.id())).endsWith("project_setup_requested", "job_failed");
    }

    @Test
    void setupRequestedWhilePendingStartsNothing() {
        Project p = created();
        ActionResult<Project> r = lifecycle.setupRequested(p.id());
        assertThat(r.job()).isNull();
        assertThat(r.message()).isEqualTo("set-up already in progress");
        assertThat(types(p.id())).containsExactly("project_created");
    }

    @Test
    void aLostCompareAndSetIsNotApplied() {
        Project p = created();
        Project stale = projects.get(p.id());
        lifecycle.setupStarted(p.id());
        assertThat(projects.transition(stale, ProjectStatus.FAILED, null, null)).isFalse();
        assertThat(projects.get(p.id()).status()).isEqualTo(ProjectStatus.SETTING_UP);
    }
}
