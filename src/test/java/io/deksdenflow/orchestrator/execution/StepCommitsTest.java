package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.protocol.StepType;
import org.junit.jupiter.api.Test;

class StepCommitsTest {
    private static final ProtocolRun RUN = PromptsTest.run("d");
    private static final StepRun STEP = new StepRun(5, 3, 1, "02-add-login-form.md", StepType.values()[0],
            StepStatus.values()[0], null, null, 0, null, null, null, null, null, null, null, null, 0, 0, 0);

    @Test
    void theStepFilesConventionalLineIsTheSubject() {
        String file = "# 02 Add the login form\n\n## Commit message\nfeat(auth): add the login form\n\n## Goal\n…";
        assertThat(StepCommits.message(RUN, STEP, file)).isEqualTo("feat(auth): add the login form [protocol-0007/02]");
        assertThat(StepCommits.message(RUN, STEP, "# fix(api)!: reject empty names\n"))
                .isEqualTo("fix(api)!: reject empty names [protocol-0007/02]");
    }

    @Test
    void withoutOneItIsAFeatureOfTheProtocolTitledByTheStep() {
        assertThat(StepCommits.message(RUN, STEP, "# 02 Add the login form\n\nSome text: with a colon\n"))
                .isEqualTo("feat(0007-add-login): add the login form [protocol-0007/02]");
        assertThat(StepCommits.message(RUN, STEP, "")).isEqualTo("feat(0007-add-login): add login form [protocol-0007/02]");
    }
}
