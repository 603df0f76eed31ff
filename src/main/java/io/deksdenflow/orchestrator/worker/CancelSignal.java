package io.deksdenflow.orchestrator.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** "Stop the job with this id / every job of this protocol run": the cancel channel's message. */
record CancelSignal(String jobId, Long protocolRunId, String reason) {
    private static final ObjectMapper JSON = new ObjectMapper();

    String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("job_id", jobId);
        node.put("protocol_run_id", protocolRunId);
        node.put("reason", reason);
        return node.toString();
    }

    static CancelSignal parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            String jobId = node.path("job_id").isTextual() ? node.get("job_id").asText() : null;
            Long run = node.path("protocol_run_id").canConvertToLong() ? node.get("protocol_run_id").asLong() : null;
            String reason = node.path("reason").isTextual() ? node.get("reason").asText() : "cancel requested";
            return new CancelSignal(jobId, run, reason);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a cancel signal: " + json, e);
        }
    }
}
