package io.deksdenflow.orchestrator.common;

import java.util.List;
import java.util.Map;

/** An action that the current status does not allow: 409 naming the status and allowed actions. */
public class IllegalTransitionException extends ConflictException {
    private final String from;
    private final String action;
    private final List<String> allowed;

    public IllegalTransitionException(String entity, String from, String action, List<String> allowed) {
        super("cannot " + action + " a " + entity + " in status " + from + "; allowed actions: " + allowed,
                Map.of("entity", entity, "current_status", from, "action", action, "allowed_actions", allowed));
        this.from = from;
        this.action = action;
        this.allowed = allowed;
    }

    public String from() { return from; }
    public String action() { return action; }
    public List<String> allowed() { return allowed; }
}
