package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.ForgeException;
import io.deksdenflow.orchestrator.forge.ForgeRepo;
import io.deksdenflow.orchestrator.forge.IssueEvent;
import io.deksdenflow.orchestrator.project.Intake;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.protocol.IntakeLifecycle;
import io.deksdenflow.orchestrator.protocol.Names;
import io.deksdenflow.orchestrator.protocol.ProtocolAction;
import io.deksdenflow.orchestrator.protocol.ProtocolLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.ProtocolTransitions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Issue intake (issue #22): an issue event of a project's repository, in the delivery's scope, becomes
 * that project's protocol when it carries the project's intake label ({@code opened}, {@code labeled},
 * {@code reopened}): created once per issue (the unique index on {@code (project_id, issue_number)} decides,
 * never a look-up before the insert), started at once when the intake says {@code auto_start}. A label
 * removed or the issue closed pauses the issue's protocol through the pause action when its status allows
 * it; a paused protocol stays paused when the issue is labelled or reopened again (resume it by hand). A protocol
 * started at once also advances by itself ({@code auto_advance}) and opens its draft PR/MR when its last step is done.
 */
@Component
public class IssueIntake {
    /** How long a protocol's description (title, blank line, body) may be. */
    static final int MAX_DESCRIPTION = 4000;
    /** How long the slug of the title in the protocol's name may be. */
    static final int MAX_SLUG = 40;
    private static final int NAME_ATTEMPTS = 3;
    /** The most open issues one reconcile pass reads per project. */
    static final int RECONCILE_LIMIT = 200;

    private final ProjectStore projects;
    private final ProtocolStore protocols;
    private final ProtocolLifecycle lifecycle;
    private final IntakeDependencies dependencies;
    private final IntakeLifecycle intakeLifecycle;

    public IssueIntake(ProjectStore projects, ProtocolStore protocols, ProtocolLifecycle lifecycle,
                       IntakeDependencies dependencies, IntakeLifecycle intakeLifecycle) {
        this.projects = projects;
        this.protocols = protocols;
        this.lifecycle = lifecycle;
        this.dependencies = dependencies;
        this.intakeLifecycle = intakeLifecycle;
    }

    /** Step {@code issue} of {@code webhook-<forge>}: applies the translated issue event, answers 202. */
    public Map<String, Object> accept(Exchange exchange) {
        return DeliveryStep.accept(exchange, IssueEvent.class, this::apply);
    }

    /**
     * Applies {@code event} to each project in {@code scope} (null: every project without its own webhook
     * secret) that has an intake and whose repository the issue is in.
     *
     * @return {@code {"status": "accepted", "results": [{project_id, protocol_run_id, action}]}}, or
     *         {@code {"status": "ignored", "reason": ...}} when no project takes it
     */
    public Map<String, Object> apply(IssueEvent event, Set<Long> scope) {
        if (event.repository() == null && event.repositoryUrls().isEmpty()) {
            return CiStatusService.ignored("the issue event names no repository");
        }
        List<Project> candidates = projects.all().stream()
                .filter(p -> WebhookAuthenticator.covers(scope, p))
                .filter(p -> p.intake() != null)
                .filter(p -> Repositories.matches(p.gitUrl(), event.repository(), event.repositoryUrls()))
                .toList();
        if (candidates.isEmpty()) {
            return CiStatusService.ignored("no project with an intake has repository "
                    + (event.repository() != null ? event.repository() : event.repositoryUrls().get(0)));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Project project : candidates) {
            Map<String, Object> r = applyTo(project, event);
            if ("ignored".equals(r.get("action"))) reasons.add("project " + project.id() + ": " + r.get("reason"));
            results.add(r);
        }
        if (reasons.size() == results.size()) {
            return CiStatusService.ignored(String.join("; ", reasons));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", CiStatusService.ACCEPTED);
        out.put("results", results);
        return out;
    }

    /**
     * The reconcile pass for one intake project: lists the open issues carrying its label through the forge's
     * REST API and takes in those a lost webhook never brought (at most {@value #RECONCILE_LIMIT} per pass).
     *
     * @return how many protocols it created
     */
    public int reconcile(Project project, Forge forge) throws ForgeException {
        if (project.intake() == null) return 0;
        ForgeRepo repo = new ForgeRepo(project.name(), project.gitUrl(), project.secrets());
        int created = 0;
        dependencies.recheck(project, null, forge.id());
        for (IssueEvent issue : forge.openIssues(repo, project.intake().label(), RECONCILE_LIMIT)) {
            if (protocols.findByIssue(project.id(), issue.number()).isPresent()) continue;
            Map<String, Object> r = take(project, project.intake(), issue, "reconcile");
            if ("created".equals(r.get("action"))) created++;
        }
        return created;
    }

    private Map<String, Object> applyTo(Project project, IssueEvent event) {
        Intake intake = project.intake();
        boolean labelled = event.hasLabel(intake.label());
        // deliveries can arrive late and out of order: what the forge says now decides over an older delivery
        boolean deliveryWants = labelled && event.action() != IssueEvent.Action.CLOSED && event.action() != IssueEvent.Action.UNLABELED;
        Optional<Forge.IssueState> now = dependencies.now(project, event.provider(), event.number());
        if (now.isPresent() && now.get().open() && now.get().hasLabel(intake.label()) != deliveryWants) {
            return result(project, null, "ignored", "a late delivery: issue #" + event.number() + " is "
                    + (deliveryWants ? "closed or without label '" + intake.label() + "'" : "open with label '" + intake.label() + "'")
                    + " now");
        }
        if (now.isPresent() && !now.get().open() && deliveryWants) {
            return result(project, null, "ignored", "a late delivery: issue #" + event.number() + " is closed now");
        }
        return switch (event.action()) {
            case OPENED, LABELED, REOPENED -> labelled ? take(project, intake, event, "webhook")
                    : result(project, null, "ignored", "the issue does not carry label '" + intake.label() + "'");
            case UNLABELED -> labelled ? result(project, null, "ignored", "the issue still carries label '" + intake.label() + "'")
                    : pause(project, event, "label_removed");
            case CLOSED -> {
                Map<String, Object> r = pause(project, event, "issue_closed");
                List<Long> released = dependencies.recheck(project, event.number(), event.provider());
                if (!released.isEmpty()) r.put("released", released);
                yield r;
            }
        };
    }

    /** Creates the issue's protocol, or finds the one an earlier delivery created. */
    private Map<String, Object> take(Project project, Intake intake, IssueEvent event, String source) {
        for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
            String name = String.format(Locale.ROOT, "%04d-%s", protocols.maxNumber(project.id()) + 1,
                    slug(event.title(), event.number()));
            try {
                Names.requireProtocolName("protocol_name", name);
            } catch (ValidationException e) {
                return result(project, null, "ignored", "no protocol name is left: " + e.getMessage());
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("issue_number", event.number());
            if (event.url() != null) meta.put("issue_url", event.url());
            meta.put("provider", event.provider());
            meta.put("source", source);
            ProtocolRun created;
            try {
                created = intakeLifecycle.takenIn(new ProtocolStore.NewProtocol(project.id(), name, description(event),
                        project.baseBranch(), null, intake.autoStart(), intake.checks(), intake.engines(), event.number(),
                        event.url()), event.number(), meta);
            } catch (ConflictException e) {
                // the issue's protocol exists (the unique index said so), or another protocol took the name
                Optional<ProtocolRun> existing = protocols.findByIssue(project.id(), event.number());
                if (existing.isPresent()) return result(project, existing.get().id(), "existing", null);
                continue;
            }
            List<Long> waiting = dependencies.openBlockers(project, event);
            if (!waiting.isEmpty()) {
                // dependencies first: it stays pending until they are closed (IntakeDependencies.recheck)
                intakeLifecycle.waitFor(created.id(), waiting);
                Map<String, Object> r = result(project, created.id(), "created", null);
                r.put("waiting_for", waiting);
                return r;
            }
            if (intake.autoStart()) {
                try {
                    lifecycle.act(created.id(), ProtocolAction.START);
                } catch (ConflictException e) {
                    // someone moved it first (a start or cancel by hand): the protocol exists, which is what counts
                }
            }
            return result(project, created.id(), "created", null);
        }
        return result(project, null, "ignored", "no free protocol name after " + NAME_ATTEMPTS + " attempts");
    }

    /** Pauses the issue's protocol when its status allows a pause. */
    private Map<String, Object> pause(Project project, IssueEvent event, String reason) {
        Optional<ProtocolRun> run = protocols.findByIssue(project.id(), event.number());
        if (run.isEmpty()) return result(project, null, "ignored", "no protocol was taken in from issue #" + event.number());
        ProtocolRun p = run.get();
        if (!ProtocolTransitions.allows(p.status(), ProtocolAction.PAUSE)) {
            return result(project, p.id(), "ignored", "protocol is " + p.status().api() + ", which cannot be paused");
        }
        try {
            intakeLifecycle.paused(p.id(), "paused: issue #" + event.number()
                    + (reason.equals("issue_closed") ? " closed" : " lost its label"), Map.of("reason", reason, "issue_number", event.number()));
        } catch (ConflictException e) {
            return result(project, p.id(), "ignored", e.getMessage());
        }
        return result(project, p.id(), "paused", null);
    }

    /** A protocol-name slug of {@code title}: lower-case ASCII letters, digits and hyphens, bounded. */
    static String slug(String title, long number) {
        String s = title == null ? "" : title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        if (s.length() > MAX_SLUG) s = s.substring(0, MAX_SLUG);
        s = s.replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "issue-" + number : s;
    }

    static String description(IssueEvent event) {
        String d = event.body().isBlank() ? event.title() : event.title() + "\n\n" + event.body();
        return d.length() <= MAX_DESCRIPTION ? d : d.substring(0, MAX_DESCRIPTION);
    }

    private static Map<String, Object> result(Project project, Long runId, String action, String reason) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("project_id", project.id());
        r.put("protocol_run_id", runId);
        r.put("action", action);
        if (reason != null) r.put("reason", reason);
        return r;
    }

}
