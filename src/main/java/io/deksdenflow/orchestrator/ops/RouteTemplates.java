package io.deksdenflow.orchestrator.ops;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Maps a request path to its route template ({@code /protocols/{id}/actions/{action}}), so HTTP
 * metrics and access logs have one series per endpoint, never one per id. Unknown paths are
 * "unmatched": the label set stays bounded whatever clients send.
 */
public final class RouteTemplates {
    private static final Pattern NUMBER = Pattern.compile("^[0-9]+$");
    private static final List<String> KNOWN = List.of(
            "/health", "/metrics", "/openapi.json", "/routes", "/queues", "/queues/jobs",
            "/projects", "/projects/{id}", "/projects/{id}/actions/{action}", "/projects/{id}/protocols",
            "/protocols/{id}", "/protocols/{id}/actions/{action}", "/protocols/{id}/events", "/protocols/{id}/steps",
            "/steps/{id}", "/steps/{id}/actions/{action}", "/steps/{id}/runs", "/runs/{id}/log",
            "/events", "/events/stream", "/webhooks/github", "/webhooks/gitlab");

    private RouteTemplates() {}

    public static String of(String path) {
        if (path == null || path.isEmpty()) return "unmatched";
        if (path.equals("/console") || path.startsWith("/console/")) return "/console/**";
        if (path.startsWith("/webhooks/")) return KNOWN.contains(path) ? path : "/webhooks/{custom}";
        String[] parts = path.split("/");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < parts.length; i++) {
            String seg = parts[i];
            sb.append('/');
            if (NUMBER.matcher(seg).matches()) sb.append("{id}");
            else if (i >= 2 && "actions".equals(parts[i - 1])) sb.append("{action}");
            else sb.append(seg);
        }
        String template = sb.toString();
        return KNOWN.contains(template) ? template : "unmatched";
    }
}
