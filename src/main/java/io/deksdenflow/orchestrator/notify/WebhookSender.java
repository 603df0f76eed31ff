package io.deksdenflow.orchestrator.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A webhook channel: the message's JSON, POSTed with the Standard Webhooks headers {@code webhook-id} (the
 * delivery's, the same on every attempt: receivers de-duplicate by it), {@code webhook-timestamp} (seconds, this
 * attempt's) and {@code webhook-signature} ({@link StandardWebhooks}).
 */
@Component
class WebhookSender {
    private final OutboundHttp http;
    private final ObjectMapper json;

    WebhookSender(OutboundHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    int send(Channel.Webhook channel, Message message) throws DeliveryFailure, JsonProcessingException {
        String body = json.writeValueAsString(message.webhookBody());
        long timestamp = Clock.now() / 1000;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(StandardWebhooks.ID, message.messageId());
        headers.put(StandardWebhooks.TIMESTAMP, Long.toString(timestamp));
        headers.put(StandardWebhooks.SIGNATURE,
                StandardWebhooks.sign(channel.secret(), message.messageId(), timestamp, body));
        headers.put("User-Agent", "DeksdenFlow-Notify/1");
        return http.postJson(channel.label(), channel.url(), headers, body);
    }
}
