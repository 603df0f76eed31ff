package io.deksdenflow.orchestrator.engine.egress;

/** One connection the egress path refused: what the agent asked for and why it was refused. */
public record EgressDenial(String host, int port, String reason) {}
