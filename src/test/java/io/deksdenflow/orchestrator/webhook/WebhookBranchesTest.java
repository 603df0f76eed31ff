package io.deksdenflow.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookBranchesTest {

    @Test
    void candidates() {
        assertThat(Branches.candidates("0001-x")).containsExactly("0001-x");
        assertThat(Branches.candidates("refs/heads/0001-x")).containsExactly("0001-x");
        assertThat(Branches.candidates("feature/0001-x")).containsExactly("feature/0001-x", "0001-x");
        assertThat(Branches.candidates("refs/heads/feature/0001-x")).containsExactly("feature/0001-x", "0001-x");
        assertThat(Branches.candidates("a/b/0002-y")).containsExactly("a/b/0002-y", "0002-y");
        assertThat(Branches.candidates(" 0003-z ")).containsExactly("0003-z");
        assertThat(Branches.candidates("feature/0001-x/")).containsExactly("feature/0001-x", "0001-x");
    }

    @Test
    void emptyInputs() {
        assertThat(Branches.candidates(null)).isEmpty();
        assertThat(Branches.candidates("")).isEmpty();
        assertThat(Branches.candidates("  ")).isEmpty();
        assertThat(Branches.candidates("refs/heads/")).isEmpty();
    }
}
