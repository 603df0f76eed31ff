package io.deksdenflow.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The intake's rules and its JSON column, without Spring. */
class IntakeTest {
    private static final Set<String> ENGINES = Set.of("codex", "claude");

    private static void refused(Intake.Spec spec, String field) {
        assertThatThrownBy(() -> Intake.require("intake", spec, ENGINES))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void validatedLikeTheProjectsOwnEnginesAndChecks() {
        assertThat(Intake.require("intake", null, ENGINES)).isNull();
        Intake in = Intake.require("intake", new Intake.Spec(" deksdenflow ", null, Map.of("exec", "codex"),
                List.of(new Check.Spec("unit", "mvn -q test", null))), ENGINES);
        assertThat(in.label()).isEqualTo("deksdenflow");
        assertThat(in.autoStart()).isFalse();
        assertThat(in.engines()).containsExactly(Map.entry("exec", "codex"));
        assertThat(in.checks()).containsExactly(new Check("unit", List.of("mvn", "-q", "test"), Check.DEFAULT_TIMEOUT_SECONDS));

        refused(new Intake.Spec(null, true, null, null), "intake.label");
        refused(new Intake.Spec("  ", true, null, null), "intake.label");
        refused(new Intake.Spec("l".repeat(51), true, null, null), "intake.label");
        refused(new Intake.Spec("a\nb", true, null, null), "intake.label");
        refused(new Intake.Spec("ok", true, Map.of("exec", "nope"), null), "intake.engines.exec");
        refused(new Intake.Spec("ok", true, Map.of("review", "codex"), null), "intake.engines.review");
        refused(new Intake.Spec("ok", true, null, List.of(new Check.Spec("x", null, null))), "intake.checks[0].command");
        assertThat(Intake.require("intake", new Intake.Spec("l".repeat(50), true, null, null), ENGINES).autoStart()).isTrue();
    }

    @Test
    void theColumnRoundTrips() {
        Intake in = new Intake("deksdenflow", true, Map.of("qa", "claude"), List.of(new Check("lint", List.of("npm", "run", "lint"), 30)));
        assertThat(ProjectColumns.intake(ProjectColumns.writeIntake(in))).isEqualTo(in);
        Intake bare = new Intake("x", false, null, null);
        assertThat(ProjectColumns.intake(ProjectColumns.writeIntake(bare))).isEqualTo(bare);
        assertThat(ProjectColumns.writeIntake(null)).isNull();
        assertThat(ProjectColumns.intake(null)).isNull();
    }
}
