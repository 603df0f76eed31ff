package io.deksdenflow.orchestrator.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One notification channel of a project (or of DEKSDENFLOW_NOTIFICATIONS): where to, and which kinds. Its URLs
 * and secret are credentials: they are stored encrypted ({@link ChannelStore}) and shown only as {@link #view()}
 * (the host, whether a secret is set).
 */
public sealed interface Channel {
    String type();

    Set<NotifyKind> events();

    /** The channel's destination as stored (JSON-ready, secrets included: encrypt before storing). */
    Map<String, Object> stored();

    /** What an answer may show: the type, the host or recipients, {@code secret_set}, the kinds. */
    Map<String, Object> view();

    /** A short label for the delivery log: the type and the host (or the recipients), never a full URL. */
    String label();

    default boolean wants(NotifyKind kind) {
        return events().contains(kind);
    }

    /** A stable digest of the destination: the same channel keeps its key across edits of the list. */
    default String key() {
        Map<String, Object> m = new LinkedHashMap<>(stored());
        m.remove("events");
        return sha256(type() + "\n" + m);
    }

    /** {@code {"type":"webhook","url":…,"secret":…,"events":[…]}}: a Standard Webhooks POST. */
    record Webhook(String url, String secret, Set<NotifyKind> events) implements Channel {
        public String type() { return "webhook"; }

        public Map<String, Object> stored() {
            return base(this, Map.of("url", url, "secret", secret));
        }

        public Map<String, Object> view() {
            return base(this, Map.of("host", host(url), "secret_set", !secret.isEmpty()));
        }

        public String label() { return "webhook " + host(url); }
    }

    /** {@code {"type":"slack","webhook_url":…,"events":[…]}}: a Block Kit message to an incoming webhook. */
    record Slack(String webhookUrl, Set<NotifyKind> events) implements Channel {
        public String type() { return "slack"; }

        public Map<String, Object> stored() { return base(this, Map.of("webhook_url", webhookUrl)); }

        public Map<String, Object> view() { return base(this, Map.of("host", host(webhookUrl))); }

        public String label() { return "slack " + host(webhookUrl); }
    }

    /** {@code {"type":"email","to":[…],"events":[…]}}: a plain text + HTML mail through DEKSDENFLOW_SMTP_*. */
    record Email(List<String> to, Set<NotifyKind> events) implements Channel {
        public Email {
            to = List.copyOf(to);
        }

        public String type() { return "email"; }

        public Map<String, Object> stored() { return base(this, Map.of("to", to)); }

        public Map<String, Object> view() { return base(this, Map.of("to", to)); }

        public String label() { return "email " + String.join(", ", to); }
    }

    private static Map<String, Object> base(Channel c, Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", c.type());
        new TreeMap<>(fields).forEach(m::put);
        m.put("events", c.events().stream().sorted().map(NotifyKind::api).toList());
        return m;
    }

    static String host(String url) {
        try {
            String h = URI.create(url).getHost();
            return h == null ? "?" : h;
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
