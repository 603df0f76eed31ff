package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.common.LogText;
import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.events.EventStore;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStore;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Builds a delivery's {@link Message} from its event and the rows it names, as they are when it is sent. */
@Component
class Messages {
    private static final int SUMMARY_CHARS = 300;
    private final EventStore events;
    private final ProjectStore projects;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final String publicUrl;

    Messages(EventStore events, ProjectStore projects, ProtocolStore protocols, StepStore steps, NotifySettings settings) {
        this.events = events;
        this.projects = projects;
        this.protocols = protocols;
        this.steps = steps;
        this.publicUrl = settings.publicUrl();
    }

    Message of(Delivery d) {
        Event e = events.find(d.eventId()).orElseThrow(() -> new IllegalStateException("event " + d.eventId() + " is gone"));
        Project project = projects.get(d.projectId());
        ProtocolRun p = d.protocolRunId() == null ? null : protocols.find(d.protocolRunId()).orElse(null);
        StepRun s = Optional.ofNullable(d.stepRunId()).flatMap(steps::find).orElse(null);
        String console = publicUrl.isEmpty() ? null : publicUrl + "/console/#/projects/" + project.id()
                + (p == null ? "" : "/protocols/" + p.id());
        return new Message(d.messageId(), d.kind(), summary(d.kind(), project, p, s, e), e.id(), e.eventType(),
                e.message(), e.createdAt(), project.id(), project.name(), p == null ? null : p.id(),
                p == null ? null : p.protocolName(), p == null ? null : p.status().api(), s == null ? null : s.id(),
                s == null ? null : s.stepName(), s == null ? null : s.status().api(), console,
                p == null ? null : p.prUrl(), p == null ? null : p.issueUrl());
    }

    /** One line: {@code [project] protocol (step): what happened — the event's message}. */
    static String summary(NotifyKind kind, Project project, ProtocolRun p, StepRun s, Event e) {
        String where = "[" + project.name() + "]" + (p == null ? "" : " " + p.protocolName())
                + (s == null ? "" : " (" + s.stepName() + ")");
        String text = where + ": " + kind.api().replace('_', ' ') + " — " + e.message();
        String line = LogText.escape(text).replaceAll("\\s+", " ");
        return line.length() <= SUMMARY_CHARS ? line : line.substring(0, SUMMARY_CHARS - 1) + "…";
    }
}
