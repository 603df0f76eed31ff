package io.deksdenflow.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.ModelNames;
import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model-name rules without Spring. */
class ProjectRulesTest {

    @Test
    void modelNamesArePlainNamesOfAtMost100Characters() {
        for (String ok : new String[] {"gpt-5", "o3", "claude-opus-4-1", "claude-sonnet-4-5@20250929", "org/model:tag",
                "llama3.1+q4_K_M", "9b", "m".repeat(100)}) {
            assertThat(ModelNames.isValid(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"", "-m", "--model=x", ".hidden", "/abs", "_x", "a b", "a;b", "a$(id)", "{prompt_file}",
                "a\nb", "gpt-5\n", "a\"b", "a'b", "a=b", "a\\b", "m".repeat(101), "é"}) {
            assertThat(ModelNames.isValid(bad)).as(bad).isFalse();
        }
    }

    @Test
    void defaultModelsNameTheOffendingKey() {
        Map<String, String> models = new LinkedHashMap<>();
        models.put("planning", " gpt-5 ");
        models.put("exec", "");
        models.put("qa", null);
        assertThat(ProjectRules.requireDefaultModels(models)).containsExactly(Map.entry("planning", "gpt-5"));

        assertThatThrownBy(() -> ProjectRules.requireDefaultModels(Map.of("exec", "-oProxyCommand")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("default_models.exec"));
        assertThatThrownBy(() -> ProjectRules.requireDefaultModels(Map.of("review", "gpt-5")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("default_models.review"));
    }

    @Test
    void secretChangesSetAndRemoveKeysAndStayBounded() {
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("NEW", "v1");
        changes.put("OLD", null);
        Map<String, String> checked = ProjectRules.requireSecretChanges(changes);
        assertThat(ProjectRules.mergeSecrets(Map.of("OLD", "x", "KEEP", "k"), checked))
                .containsOnly(Map.entry("NEW", "v1"), Map.entry("KEEP", "k"));
        assertThat(ProjectSettings.changedKeys(Map.of("OLD", "x", "KEEP", "k"), Map.of("NEW", "v1", "KEEP", "k")))
                .containsExactly("NEW", "OLD");

        Map<String, String> badRemoval = new LinkedHashMap<>();
        badRemoval.put("no spaces", null);
        assertThatThrownBy(() -> ProjectRules.requireSecretChanges(badRemoval))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("secrets"));
        Map<String, String> full = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) full.put("K" + i, "v");
        assertThatThrownBy(() -> ProjectRules.mergeSecrets(full, Map.of("ONE_MORE", "v")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("secrets"));
    }
}
