package io.deksdenflow.orchestrator.engine.egress;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hosts an engine needs whatever the allow-list says: its model provider's API (Codex:
 * api.openai.com, chatgpt.com and auth.openai.com for a ChatGPT login; Claude Code: api.anthropic.com),
 * plus the host of {@code OPENAI_BASE_URL} / {@code ANTHROPIC_BASE_URL} when the service's environment
 * sets one. Telemetry hosts are not on it. A base URL on the host's loopback is not added by itself:
 * a loopback port is reachable only when the allow-list names it.
 */
public final class EgressDefaults {
    private EgressDefaults() {}

    public static List<String> modelHosts(String engine, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        switch (engine) {
            case "codex" -> {
                out.addAll(List.of("api.openai.com", "chatgpt.com", "auth.openai.com"));
                baseUrl(env.get("OPENAI_BASE_URL"), out);
            }
            case "claude" -> {
                out.add("api.anthropic.com");
                baseUrl(env.get("ANTHROPIC_BASE_URL"), out);
            }
            default -> { }
        }
        return out;
    }

    private static void baseUrl(String url, List<String> out) {
        if (url == null || url.isBlank()) return;
        try {
            URI u = new URI(url.strip());
            if (u.getHost() == null) return;
            String host = u.getHost().toLowerCase(Locale.ROOT);
            int port = u.getPort() != -1 ? u.getPort() : "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
            EgressRule rule = EgressRule.parse(host + ":" + port);
            if (!rule.loopback()) out.add(rule.toString());
        } catch (Exception e) {
            // not a URL we can use: the engine will say so
        }
    }
}
