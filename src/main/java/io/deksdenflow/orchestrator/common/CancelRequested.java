package io.deksdenflow.orchestrator.common;

/** Published after a pause or cancel committed: workers holding the protocol's jobs must stop them. */
public record CancelRequested(long protocolRunId, String reason) {
}
