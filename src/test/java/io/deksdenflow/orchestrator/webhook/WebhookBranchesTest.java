package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.BranchRefs;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookBranchesTest {

    @Test
    void candidates() {
        assertThat(BranchRefs.candidates("0001-x")).containsExactly("0001-x");
        assertThat(BranchRefs.candidates("refs/heads/0001-x")).containsExactly("0001-x");
        assertThat(BranchRefs.candidates("feature/0001-x")).containsExactly("feature/0001-x", "0001-x");
        assertThat(BranchRefs.candidates("refs/heads/feature/0001-x")).containsExactly("feature/0001-x", "0001-x");
        assertThat(BranchRefs.candidates("a/b/0002-y")).containsExactly("a/b/0002-y", "0002-y");
        assertThat(BranchRefs.candidates(" 0003-z ")).containsExactly("0003-z");
        assertThat(BranchRefs.candidates("feature/0001-x/")).containsExactly("feature/0001-x", "0001-x");
    }

    @Test
    void emptyInputs() {
        assertThat(BranchRefs.candidates(null)).isEmpty();
        assertThat(BranchRefs.candidates("")).isEmpty();
        assertThat(BranchRefs.candidates("  ")).isEmpty();
        assertThat(BranchRefs.candidates("refs/heads/")).isEmpty();
    }
}
