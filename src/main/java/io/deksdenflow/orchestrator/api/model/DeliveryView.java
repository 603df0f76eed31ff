package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One entry of a project's notification delivery log: an event of a kind sent to a channel ({@code channel}: its
 * type and host or recipients), {@code status} pending | delivered | failed, the attempts so far and the last
 * error; {@code message_id} is the {@code webhook-id} every attempt carried.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(requiredProperties = {"id", "project_id", "event_id", "kind", "channel_type", "channel", "message_id", "status",
        "attempts", "created_at", "updated_at"})
public record DeliveryView(long id, long projectId, Long protocolRunId, Long stepRunId, long eventId, String kind,
                           String channelType, String channel, String messageId, String status, int attempts,
                           String lastError, Integer lastStatusCode, String createdAt, String updatedAt,
                           String deliveredAt) {}
