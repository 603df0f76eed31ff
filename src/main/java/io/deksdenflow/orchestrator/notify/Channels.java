package io.deksdenflow.orchestrator.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deksdenflow.orchestrator.common.ValidationException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of a channel list, as the API, DEKSDENFLOW_NOTIFICATIONS and the stored rows give it: the type's
 * fields and no other, known event kinds, URLs through the {@link UrlGuard}, mail addresses that parse. A bad
 * entry is a 422 naming it ({@code notifications[1].url}).
 */
public final class Channels {
    /** At most this many channels per project. */
    static final int MAX = 20;
    static final int MAX_RECIPIENTS = 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Channels() {}

    /** One channel as a client writes it (snake_case JSON); the fields of other types stay null. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Input(String type, String url, String secret, String webhookUrl, List<String> to,
                        List<String> events) {}

    /** The channels of {@code inputs} (null: none), each checked; {@code smtp}: whether e-mail can be sent. */
    static List<Channel> require(String field, List<Input> inputs, UrlGuard guard, boolean smtp) {
        if (inputs == null) return List.of();
        if (inputs.size() > MAX) throw new ValidationException(field, field + " holds at most " + MAX + " channels");
        List<Channel> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            String f = field + "[" + i + "]";
            Input in = inputs.get(i);
            if (in == null) throw new ValidationException(f, f + " must be an object");
            Channel c = channel(f, in, guard, smtp);
            if (!keys.add(c.key())) {
                throw new ValidationException(f, f + " repeats the destination of an earlier channel: list its events there");
            }
            out.add(c);
        }
        return List.copyOf(out);
    }

    private static Channel channel(String f, Input in, UrlGuard guard, boolean smtp) {
        Set<NotifyKind> kinds = kinds(f + ".events", in.events());
        String type = in.type() == null ? "" : in.type();
        switch (type) {
            case "webhook" -> {
                only(f, in.webhookUrl() == null && in.to() == null, "webhook", "url, secret, events");
                String secret = in.secret();
                if (secret == null || secret.length() < 16 || secret.length() > 200 || secret.isBlank()) {
                    throw new ValidationException(f + ".secret", f + ".secret must be 16 to 200 characters"
                            + " (a Standard Webhooks whsec_<base64> secret, or any text)");
                }
                if (secret.startsWith("whsec_")) StandardWebhooks.key(secret); // 422 when not base64
                return new Channel.Webhook(guard.check(f + ".url", in.url()).toString(), secret, kinds);
            }
            case "slack" -> {
                only(f, in.url() == null && in.secret() == null && in.to() == null, "slack", "webhook_url, events");
                return new Channel.Slack(guard.check(f + ".webhook_url", in.webhookUrl()).toString(), kinds);
            }
            case "email" -> {
                only(f, in.url() == null && in.secret() == null && in.webhookUrl() == null, "email", "to, events");
                if (!smtp) {
                    throw new ValidationException(f + ".type", f + ": e-mail channels need DEKSDENFLOW_SMTP_HOST");
                }
                return new Channel.Email(recipients(f + ".to", in.to()), kinds);
            }
            default -> throw new ValidationException(f + ".type", f + ".type must be webhook, slack or email");
        }
    }

    private static void only(String f, boolean ok, String type, String fields) {
        if (!ok) throw new ValidationException(f, f + ": a " + type + " channel takes only type, " + fields);
    }

    private static Set<NotifyKind> kinds(String f, List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new ValidationException(f, f + " must name at least one of " + NotifyKind.names());
        }
        Set<NotifyKind> out = EnumSet.noneOf(NotifyKind.class);
        for (String n : names) {
            NotifyKind k = NotifyKind.parse(n);
            if (k == null) throw new ValidationException(f, f + ": unknown event " + n + "; one of " + NotifyKind.names());
            out.add(k);
        }
        return out;
    }

    private static List<String> recipients(String f, List<String> to) {
        if (to == null || to.isEmpty() || to.size() > MAX_RECIPIENTS) {
            throw new ValidationException(f, f + " must list 1 to " + MAX_RECIPIENTS + " addresses");
        }
        List<String> out = new ArrayList<>();
        for (String a : to) {
            try {
                if (a == null || a.isBlank() || a.length() > 254) throw new AddressException("empty or too long");
                InternetAddress parsed = new InternetAddress(a.trim(), true);
                if (parsed.getPersonal() != null || !parsed.getAddress().contains("@")) {
                    throw new AddressException("not a bare address");
                }
                out.add(parsed.getAddress());
            } catch (AddressException e) {
                throw new ValidationException(f, f + ": " + a + " is not an e-mail address (name@domain)");
            }
        }
        return out;
    }

    /** A channel list as JSON (stored encrypted: it holds URLs and secrets). */
    static String write(List<Channel> channels) {
        try {
            return JSON.writeValueAsString(channels.stream().map(Channel::stored).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The channels of a JSON list (stored, or DEKSDENFLOW_NOTIFICATIONS), under the same rules. */
    static List<Channel> read(String field, String json, UrlGuard guard, boolean smtp) {
        if (json == null || json.isBlank()) return List.of();
        List<Input> inputs;
        try {
            inputs = JSON.readValue(json, new TypeReference<List<Input>>() {});
        } catch (JsonProcessingException e) {
            throw new ValidationException(field, field + " must be a JSON list of channels: "
                    + e.getOriginalMessage());
        }
        return require(field, inputs, guard, smtp);
    }

    /** One channel as stored (already checked when it was saved). */
    static Channel one(Map<String, Object> stored) {
        return channel("channel", JSON.convertValue(stored, Input.class), new UrlGuard(true), true);
    }
}
