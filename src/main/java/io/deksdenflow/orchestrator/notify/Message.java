package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.common.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a notification says, whatever the channel: the kind, a one-line summary, the event, the project,
 * protocol and step, and links (console, PR, issue; null when unknown).
 */
record Message(String messageId, NotifyKind kind, String summary, long eventId, String eventType, String eventMessage,
               long createdAt, long projectId, String projectName, Long protocolRunId, String protocolName,
               String protocolStatus, Long stepRunId, String stepName, String stepStatus, String consoleUrl,
               String prUrl, String issueUrl) {

    /** The Standard Webhooks payload: {@code {"type", "timestamp", "data": {...}}}. */
    Map<String, Object> webhookBody() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", kind.api());
        data.put("summary", summary);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", eventId);
        event.put("type", eventType);
        event.put("message", eventMessage);
        event.put("created_at", Clock.iso(createdAt));
        data.put("event", event);
        data.put("project", ids(projectId, projectName, null));
        data.put("protocol", protocolRunId == null ? null : ids(protocolRunId, protocolName, protocolStatus));
        data.put("step", stepRunId == null ? null : ids(stepRunId, stepName, stepStatus));
        data.put("links", links());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "deksdenflow." + kind.api());
        body.put("timestamp", Clock.iso(createdAt));
        body.put("data", data);
        return body;
    }

    Map<String, String> links() {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("console", consoleUrl);
        links.put("pr", prUrl);
        links.put("issue", issueUrl);
        return links;
    }

    /** The mail's subject and a chat message's title. */
    String title() {
        return "DeksdenFlow: " + kind.api().replace('_', ' ') + " — " + projectName
                + (protocolName == null ? "" : " / " + protocolName);
    }

    private static Map<String, Object> ids(long id, String name, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        if (status != null) m.put("status", status);
        return m;
    }
}
