package io.deksdenflow.orchestrator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.forge.BaseEvent;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.Forges;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.project.SyncMode;
import io.deksdenflow.orchestrator.protocol.BaseSyncLifecycle;
import io.deksdenflow.orchestrator.protocol.CiLoopStore;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Step {@code base-sync} of {@code webhook-<forge>} (issue #23): a push to a branch that active protocols are based on
 * (not completed, failed or cancelled), or a PR/MR the forge says conflicts with its base, asks for a sync of each
 * such protocol ({@link BaseSyncLifecycle#requested}), in the projects of the delivery's scope whose repository it
 * is and whose {@code sync} is not off. The delivery goes on to the CI path as any other; when nothing else acts on
 * it, its answer is this step's ({@link #RESULT}).
 */
@Component
public class BaseSyncIntake {
    /** Exchange property: what this step did, when it asked for a sync. */
    static final String RESULT = "deksdenflowBaseSync";

    private final Forges forges;
    private final ProjectStore projects;
    private final ProtocolStore protocols;
    private final CiLoopStore ciLoop;
    private final BaseSyncLifecycle lifecycle;

    public BaseSyncIntake(Forges forges, ProjectStore projects, ProtocolStore protocols, CiLoopStore ciLoop,
                          BaseSyncLifecycle lifecycle) {
        this.forges = forges;
        this.projects = projects;
        this.protocols = protocols;
        this.ciLoop = ciLoop;
        this.lifecycle = lifecycle;
    }

    /** Reads the delivery as a base event and applies it; the body stays as it is. */
    public void tap(Exchange exchange) {
        Forge forge = forges.find(exchange.getProperty(WebhookReceiver.PROVIDER, String.class)).orElseThrow();
        Optional<BaseEvent> event = forge.baseEvent(exchange.getProperty(WebhookReceiver.EVENT, String.class),
                exchange.getMessage().getBody(JsonNode.class));
        if (event.isEmpty()) return;
        @SuppressWarnings("unchecked")
        Set<Long> scope = exchange.getProperty(WebhookEndpoints.SCOPE_PROPERTY, Set.class);
        Map<String, Object> result = apply(event.get(), scope);
        if (CiStatusService.ACCEPTED.equals(result.get("status"))) exchange.setProperty(RESULT, result);
    }

    public Map<String, Object> apply(BaseEvent event, Set<Long> scope) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (Project project : projects.all()) {
            if (!WebhookAuthenticator.covers(scope, project)) continue;
            if (!Repositories.matches(project.gitUrl(), event.repository(), event.repositoryUrls())) continue;
            if (SyncMode.OFF.equals(SyncMode.effective(project.sync()))) continue;
            for (ProtocolRun run : targets(project, event)) {
                String reason = event.kind() == BaseEvent.Kind.PUSH ? "push" : "conflict";
                boolean queued = lifecycle.requested(run.id(), reason, false);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("protocol_run_id", run.id());
                r.put("action", queued ? "sync_base" : "sync_base_waiting");
                results.add(r);
            }
        }
        if (results.isEmpty()) {
            return CiStatusService.ignored(event.kind() == BaseEvent.Kind.PUSH
                    ? "no active protocol is based on " + event.branch() : "no active protocol has this change request");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", CiStatusService.ACCEPTED);
        out.put("results", results);
        return out;
    }

    /** The protocols the event is about: those based on the pushed branch, or the conflicting change request's. */
    private List<ProtocolRun> targets(Project project, BaseEvent event) {
        if (event.kind() == BaseEvent.Kind.PUSH) return protocols.activeOnBase(project.id(), event.branch());
        Set<Long> ids = new LinkedHashSet<>();
        if (event.number() != null) ids.addAll(ciLoop.runsByPrNumber(List.of(project.id()), event.number()));
        if (event.branch() != null) {
            protocols.findByNames(List.of(project.id()), List.of(event.branch())).forEach(r -> ids.add(r.id()));
        }
        return ids.stream().map(protocols::get).filter(r -> r.status() != ProtocolStatus.COMPLETED
                && r.status() != ProtocolStatus.FAILED && r.status() != ProtocolStatus.CANCELLED).toList();
    }
}
