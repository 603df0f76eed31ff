package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.common.PhaseEngines;
import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a project takes work from its forge's issues: an issue carrying {@code label} becomes a
 * protocol, started at once when {@code autoStart}; {@code engines} (per phase, never null) and
 * {@code checks} (null: the project's) are that protocol's.
 */
public record Intake(String label, boolean autoStart, Map<String, String> engines, List<Check> checks) {
    public static final int MAX_LABEL = 50;

    public Intake {
        engines = engines == null ? Map.of() : Map.copyOf(engines);
        checks = checks == null ? null : List.copyOf(checks);
    }

    /** The intake as received ({@code auto_start} absent means false). */
    public record Spec(String label, Boolean autoStart, Map<String, String> engines, List<Check.Spec> checks) {}

    /**
     * null stays null (no intake); otherwise a label of 1 to 50 characters, engines as
     * {@code default_engines} and checks as {@code checks}, or a 422 naming {@code field.x}.
     */
    public static Intake require(String field, Spec spec, Set<String> engineNames) {
        if (spec == null) return null;
        String label = spec.label() == null ? "" : spec.label().trim();
        if (label.isEmpty()) throw new ValidationException(field + ".label", field + ".label is required");
        if (label.length() > MAX_LABEL) {
            throw new ValidationException(field + ".label", field + ".label is longer than " + MAX_LABEL + " characters");
        }
        if (label.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException(field + ".label", field + ".label contains control characters");
        }
        Map<String, String> engines = PhaseEngines.require(field + ".engines", spec.engines(), engineNames);
        List<Check> checks = Checks.require(field + ".checks", spec.checks());
        return new Intake(label, Boolean.TRUE.equals(spec.autoStart()), engines, checks);
    }
}
