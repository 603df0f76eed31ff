package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** A notification channel as answers show it: the host of its URL, never the URL or the secret. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(requiredProperties = {"type", "events"})
public record ChannelView(String type, String host, Boolean secretSet, List<String> to, List<String> events) {
    @SuppressWarnings("unchecked")
    public static ChannelView of(Map<String, Object> view) {
        return new ChannelView((String) view.get("type"), (String) view.get("host"), (Boolean) view.get("secret_set"),
                (List<String>) view.get("to"), (List<String>) view.get("events"));
    }
}
