package io.deksdenflow.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IntakeDependenciesTest {
    @Test
    void thePhrasesNameTheIssuesInOrder() {
        assertThat(IntakeDependencies.mentioned("Blocked by #12.")).containsExactly(12L);
        assertThat(IntakeDependencies.mentioned("This depends on #3, #4 and #5; also blocked by: #3"))
                .containsExactly(3L, 4L, 5L);
        assertThat(IntakeDependencies.mentioned("DEPENDS ON #7\\nand Blocked By #8 & #9")).containsExactly(7L, 8L, 9L);
    }

    @Test
    void otherMentionsAreNoDependencies() {
        assertThat(IntakeDependencies.mentioned("See #12, fixes #13, related to #14")).isEmpty();
        assertThat(IntakeDependencies.mentioned("blocked by the release")).isEmpty();
        assertThat(IntakeDependencies.mentioned(null)).isEmpty();
        assertThat(IntakeDependencies.mentioned("depends on #" + "9".repeat(12))).isEmpty();
    }
}
