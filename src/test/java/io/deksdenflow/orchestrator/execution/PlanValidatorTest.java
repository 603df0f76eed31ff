package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.common.NonRetryable;
import io.deksdenflow.orchestrator.common.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlanValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PlanValidator validator = new PlanValidator();

    static ObjectNode plan(String... stepNames) {
        ObjectNode root = JSON.createObjectNode().put("plan_md", "# Plan").put("context_md", "ctx").put("log_md", "log");
        ArrayNode steps = root.putArray("step_files");
        for (String n : stepNames) steps.addObject().put("filename", n).put("content", "# " + n);
        return root;
    }

    @Test
    void acceptsAValidPlanAlsoInsideACodeFence() {
        PlanningAnswer a = validator.validate("```json\n" + plan("00-setup.md", "01-build-api.md", "02-qa.md") + "\n```");
        assertThat(a.planMd()).isEqualTo("# Plan");
        assertThat(a.stepFiles()).extracting(PlanningAnswer.StepFile::filename)
                .containsExactly("00-setup.md", "01-build-api.md", "02-qa.md");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.md", "/etc/passwd", "01-a/../../x.md", "01-a\\\\b.md", "01-..md", "evil.md",
            "1-short.md", "01-name.txt", "01-", "01-a b.md", ".hidden.md", "01-\u0000.md", ""})
    void rejectsHostileOrMalformedStepNames(String name) {
        assertThatThrownBy(() -> validator.validate(plan("00-setup.md", name).toString()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("plan"))
                .isInstanceOf(NonRetryable.class);
    }

    @Test
    void reasonsArePrecise() {
        assertThatThrownBy(() -> validator.validate(plan("../evil.md").toString())).hasMessageContaining("path separator: '../evil.md'");
        assertThatThrownBy(() -> validator.validate(plan("01-a.md", "01-a.md").toString())).hasMessageContaining("duplicate step file name: 01-a.md");
        assertThatThrownBy(() -> validator.validate(plan().toString())).hasMessageContaining("1 to 50 step files, got 0");
        assertThatThrownBy(() -> validator.validate("sorry, no JSON")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> validator.validate("  ")).hasMessageContaining("empty");
    }

    @Test
    void schemaRejectsMissingAndExtraFields() {
        ObjectNode missing = plan("00-a.md");
        missing.remove("log_md");
        assertThatThrownBy(() -> validator.validate(missing.toString())).hasMessageContaining("does not match the schema").hasMessageContaining("log_md");
        ObjectNode extra = plan("00-a.md");
        extra.put("shell", "rm -rf /");
        assertThatThrownBy(() -> validator.validate(extra.toString())).hasMessageContaining("shell");
        ObjectNode extraInStep = plan("00-a.md");
        ((ObjectNode) extraInStep.get("step_files").get(0)).put("path", "/etc");
        assertThatThrownBy(() -> validator.validate(extraInStep.toString())).hasMessageContaining("path");
        ObjectNode wrongType = plan("00-a.md");
        wrongType.put("plan_md", 3);
        assertThatThrownBy(() -> validator.validate(wrongType.toString())).isInstanceOf(ValidationException.class);
    }

    @Test
    void enforcesCountAndSizeLimits() {
        String[] many = new String[51];
        for (int i = 0; i < many.length; i++) many[i] = String.format("%02d-s.md", i);
        assertThatThrownBy(() -> validator.validate(plan(many).toString())).hasMessageContaining("got 51");

        ObjectNode big = plan("00-a.md");
        ((ObjectNode) big.get("step_files").get(0)).put("content", "x".repeat(200 * 1024 + 1));
        assertThatThrownBy(() -> validator.validate(big.toString())).hasMessageContaining("00-a.md is 204801 bytes");

        ObjectNode total = plan("00-a.md", "01-b.md", "02-c.md");
        for (int i = 0; i < 3; i++) ((ObjectNode) total.get("step_files").get(i)).put("content", "x".repeat(180 * 1024));
        assertThatThrownBy(() -> validator.validate(total.toString())).hasMessageContaining("in total, over 512000");
    }

    @Test
    void writesTheSchemaForCodex(@TempDir Path tmp) throws Exception {
        Path p = validator.writeSchema(tmp.resolve("schemas"));
        assertThat(JSON.readTree(Files.readString(p)).get("required")).hasSize(4);
        assertThat(Files.readString(p)).isEqualTo(validator.schemaText());
    }
}
