package io.deksdenflow.orchestrator.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A Slack channel: a Block Kit message (header, the summary, the links) to an incoming webhook, with
 * {@code text} as the notification's fallback. Text from events is escaped for mrkdwn ({@code & < >}), so an
 * event cannot inject a link or a mention.
 */
@Component
class SlackSender {
    private final OutboundHttp http;
    private final ObjectMapper json;

    SlackSender(OutboundHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    int send(Channel.Slack channel, Message message) throws DeliveryFailure, JsonProcessingException {
        return http.postJson(channel.label(), channel.webhookUrl(), Map.of("User-Agent", "DeksdenFlow-Notify/1"),
                json.writeValueAsString(body(message)));
    }

    static Map<String, Object> body(Message m) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "header", "text", Map.of("type", "plain_text", "text", cut(m.title(), 150))));
        blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", cut(escape(m.summary()), 3000))));
        List<String> links = new ArrayList<>();
        link(links, "Console", m.consoleUrl());
        link(links, "Pull request", m.prUrl());
        link(links, "Issue", m.issueUrl());
        if (!links.isEmpty()) {
            blocks.add(Map.of("type", "context", "elements",
                    List.of(Map.of("type", "mrkdwn", "text", String.join("  ·  ", links)))));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", cut(m.summary(), 3000));
        body.put("blocks", blocks);
        return body;
    }

    private static void link(List<String> links, String name, String url) {
        if (url != null && url.matches("https?://[^\\s<>|]+")) links.add("<" + escape(url) + "|" + name + ">");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
