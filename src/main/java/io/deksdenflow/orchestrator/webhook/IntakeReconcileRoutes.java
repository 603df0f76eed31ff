package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.common.LogText;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.ForgeException;
import io.deksdenflow.orchestrator.forge.Forges;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.tracker.TrackerSettings;
import io.deksdenflow.orchestrator.worker.WorkerSettings;
import java.util.Optional;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Webhooks can be lost: route {@code intake-reconcile} (a timer every DEKSDENFLOW_INTAKE_POLL_SECONDS; none when 0)
 * lists each intake project's open issues with its label through the forge's REST API and takes in what is missing
 * ({@link IssueIntake#reconcile}); the unique issue index keeps it from taking one in twice. It runs where the API
 * runs (role {@code api} or {@code all}), not in every worker. A project whose forge fails is logged and tried again
 * on the next pass.
 */
@Component
class IntakeReconcileRoutes extends RouteBuilder {
    static final String ROUTE_ID = "intake-reconcile";
    private static final Logger log = LoggerFactory.getLogger(IntakeReconcileRoutes.class);

    private final TrackerSettings settings;
    private final WorkerSettings workers;
    private final ProjectStore projects;
    private final Forges forges;
    private final IssueIntake intake;

    IntakeReconcileRoutes(TrackerSettings settings, WorkerSettings workers, ProjectStore projects, Forges forges,
                          IssueIntake intake) {
        this.settings = settings;
        this.workers = workers;
        this.projects = projects;
        this.forges = forges;
        this.intake = intake;
    }

    @Override
    public void configure() {
        if (settings.intakePollSeconds() == 0 || workers.role() == WorkerSettings.Role.WORKER) return;
        long period = settings.intakePollSeconds() * 1000L;
        from("timer:" + ROUTE_ID + "?period=" + period + "&delay=" + Math.min(period, 5000)).routeId(ROUTE_ID)
                .description("Every DEKSDENFLOW_INTAKE_POLL_SECONDS: open labelled issues a lost webhook did not bring → protocols")
                .bean(this, "reconcileAll");
    }

    /** One pass over every intake project; returns how many protocols it created. */
    public int reconcileAll() {
        int created = 0;
        for (Project project : projects.all()) {
            if (project.intake() == null || project.ciProvider() == null) continue;
            Optional<Forge> forge = forges.find(project.ciProvider());
            if (forge.isEmpty()) continue;
            try {
                created += intake.reconcile(project, forge.get());
            } catch (ForgeException | RuntimeException e) {
                log.warn("intake reconcile of project {} failed: {}", project.id(), LogText.escape(e.getMessage()));
            }
        }
        return created;
    }
}
