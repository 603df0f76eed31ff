package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.protocol.StepType;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptsTest {
    @TempDir Path wt;
    private final ProtocolFiles files = new ProtocolFiles();
    private final Prompts prompts = new Prompts(files);

    static ProtocolRun run(String description) {
        return new ProtocolRun(3, 1, "0007-add-login", description, "main", null, false, ProtocolStatus.values()[0],
                null, null, null, 0, null, 0, null, 0, 0, 0);
    }

    static StepRun step(String name) {
        return new StepRun(7, 3, 1, name, StepType.WORK, StepStatus.values()[0], null, null, 0, null, null, null,
                null, null, null, null, null, 0, 0, 0);
    }

    @Test
    void planningPromptCarriesTaskLayoutAndFormats() {
        TestRepos.write(wt.resolve("README.md"), "x");
        TestRepos.write(wt.resolve("src/App.java"), "x");
        String p = prompts.planning(run("Add a login page {{protocol_name}}"), wt);
        assertThat(p).contains("protocol 0007-add-login", "Add a login page {{protocol_name}}", "README.md", "src/", "  App.java",
                ".protocols/0007-add-login/plan.md", "## Context", "## Decision", "NN-step-name.md",
                "`type(scope): subject`", "tagged `[protocol-0007/NN]`", "does not commit or push", "lint, typecheck and tests", "step_files");
        // the description's braces are kept literally and are the only ones left
        assertThat(p.split("\\{\\{", -1)).hasSize(2);
    }

    @Test
    void execAndQaPromptsIncludeTheProtocolFiles() {
        files.write(wt, "0007-add-login", new PlanningAnswer("PLAN-TEXT", "CONTEXT-TEXT", "LOG-TEXT",
                List.of(new PlanningAnswer.StepFile("01-build-form.md", "STEP-TEXT $1 \\ {{plan_md}}"))));
        String exec = prompts.exec(run("d"), step("01-build-form.md"), wt);
        assertThat(exec).contains("PLAN-TEXT", "CONTEXT-TEXT", "STEP-TEXT $1 \\ {{plan_md}}", "[protocol-0007/01]")
                .contains("Do not commit or push").doesNotContain("LOG-TEXT", "Commit everything");

        String qa = prompts.qa(run("d"), step("01-build-form.md"), wt,
                new Prompts.GitState(" M a.txt\n", "abc123 feat: form [protocol-0007/01]", " a.txt | 2 +-\n"));
        assertThat(qa).contains("PLAN-TEXT", "CONTEXT-TEXT", "LOG-TEXT", "STEP-TEXT", " M a.txt",
                "abc123 feat: form [protocol-0007/01]", " a.txt | 2 +-", "Verdict: PASS", "Verdict: FAIL", "read-only");
        assertThat(qa.strip()).endsWith("end your report with a line `Verdict: PASS` or `Verdict: FAIL`.");
    }

    @Test
    void missingFilesAreMarkedNotFatal() {
        assertThat(prompts.exec(run("d"), step("01-x.md"), wt)).contains("(missing)");
        assertThat(prompts.qa(run("d"), step("01-x.md"), wt, new Prompts.GitState("", "s", ""))).contains("(clean)");
    }

    @Test
    void templateHashesAreStableSha256() {
        assertThat(prompts.templateHash("planning")).matches("[0-9a-f]{64}")
                .isEqualTo(new Prompts(files).templateHash("planning"));
        assertThat(prompts.templateHashes()).containsOnlyKeys("planning", "exec", "qa", "ci-fix", "review-fix", "conflict-fix");
        assertThat(prompts.templateHash("exec")).isNotEqualTo(prompts.templateHash("qa"));
        assertThat(Prompts.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThatThrownBy(() -> prompts.templateHash("deploy")).isInstanceOf(IllegalArgumentException.class);
    }
}
