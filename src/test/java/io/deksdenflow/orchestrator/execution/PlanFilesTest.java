package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.engine.CancelHandle;
import io.deksdenflow.orchestrator.engine.CodexEngine;
import io.deksdenflow.orchestrator.engine.EngineRequest;
import io.deksdenflow.orchestrator.engine.EngineResult;
import io.deksdenflow.orchestrator.engine.ProcessRunner;
import io.deksdenflow.orchestrator.protocol.StepType;
import io.deksdenflow.orchestrator.testsupport.StandInAgent;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planning through the stand-in agent, validation and the protocol folder writer/reader. */
class PlanFilesTest {
    @TempDir Path tmp;
    private final PlanValidator validator = new PlanValidator();
    private final ProtocolFiles files = new ProtocolFiles();

    private String planWithCodexStandIn(String mode, int steps) {
        TestSettings s = new TestSettings();
        s.setCodexBin(StandInAgent.wrapper(tmp.resolve("bin"), "codex",
                Map.of("STAND_IN_MODE", mode, "STAND_IN_STEPS", String.valueOf(steps))).toString());
        Path schema = validator.writeSchema(tmp.resolve("schemas"));
        EngineResult r = new CodexEngine(s.engine(), new ProcessRunner()).run(
                new EngineRequest("planning", worktree(), "plan it", "", true, schema, null, null), CancelHandle.none());
        return r.text();
    }

    private Path worktree() {
        try {
            return Files.createDirectories(tmp.resolve("wt"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void plansWritesAndReadsBackSortedAndTyped() {
        PlanningAnswer answer = validator.validate(planWithCodexStandIn("plan", 3));
        List<Path> written = files.write(worktree(), "0001-add-login", answer);

        Path dir = worktree().resolve(".protocols/0001-add-login");
        assertThat(written).containsExactly(dir.resolve("plan.md"), dir.resolve("context.md"), dir.resolve("log.md"),
                dir.resolve("00-setup.md"), dir.resolve("01-step-1.md"), dir.resolve("02-step-2.md"));
        assertThat(files.hasPlan(worktree(), "0001-add-login")).isTrue();

        ProtocolFiles.ImportedPlan plan = files.read(worktree(), "0001-add-login");
        assertThat(plan.planMd()).startsWith("# Plan");
        assertThat(plan.steps()).extracting(ProtocolFiles.ImportedPlan.Step::fileName)
                .containsExactly("00-setup.md", "01-step-1.md", "02-step-2.md");
        assertThat(plan.steps()).extracting(ProtocolFiles.ImportedPlan.Step::index).containsExactly(0, 1, 2);
        assertThat(plan.steps().get(0).type()).isEqualTo(StepType.SETUP);
        assertThat(plan.steps().get(1).type()).isEqualTo(StepType.WORK);
        assertThat(files.readFile(worktree(), "0001-add-login", "context.md")).startsWith("Current step: 00");
    }

    @Test
    void hostilePlanIsRejectedAndNothingIsWritten() throws Exception {
        String answer = planWithCodexStandIn("plan-hostile", 2);
        assertThatThrownBy(() -> validator.validate(answer))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'../evil.md'");
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("evil.md"))).isEmpty();
        }
        assertThat(worktree().resolve(".protocols")).doesNotExist();
    }

    @Test
    void writerChecksEvenWithoutTheValidatorAndWritesNothing() {
        PlanningAnswer hostile = new PlanningAnswer("# p", "c", "l", List.of(
                new PlanningAnswer.StepFile("00-ok.md", "ok"), new PlanningAnswer.StepFile("../../evil.md", "x")));
        assertThatThrownBy(() -> files.write(worktree(), "0001-add-login", hostile)).isInstanceOf(ValidationException.class);
        assertThat(worktree().resolve(".protocols")).doesNotExist();
        assertThatThrownBy(() -> files.write(worktree(), "../0001-x", hostile)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ProtocolFiles.inside(tmp.resolve("f"), "../x.md")).isInstanceOf(ValidationException.class);
    }

    @Test
    void symlinkedProtocolsFolderOutsideTheWorktreeIsRefused() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(worktree().resolve(".protocols"), outside);
        PlanningAnswer ok = new PlanningAnswer("# p", "c", "l", List.of(new PlanningAnswer.StepFile("00-ok.md", "ok")));
        assertThatThrownBy(() -> files.write(worktree(), "0001-add-login", ok))
                .isInstanceOf(io.deksdenflow.orchestrator.common.UntrustedContentException.class)
                .hasMessageContaining("symbolic link");
        try (Stream<Path> s = Files.walk(outside)) {
            assertThat(s.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void readerIgnoresFilesThatAreNotSteps() throws Exception {
        PlanningAnswer ok = new PlanningAnswer("# p", "c", "l", List.of(new PlanningAnswer.StepFile("01-b.md", "b"),
                new PlanningAnswer.StepFile("00-a.md", "a"), new PlanningAnswer.StepFile("02-qa-review.md", "q")));
        files.write(worktree(), "0002-x", ok);
        Path dir = worktree().resolve(".protocols/0002-x");
        Files.writeString(dir.resolve("notes.md"), "n");
        Files.writeString(dir.resolve("03-x.txt"), "n");
        assertThat(files.read(worktree(), "0002-x").steps()).extracting(s -> s.fileName() + ":" + s.type())
                .containsExactly("00-a.md:SETUP", "01-b.md:WORK", "02-qa-review.md:QA");
        assertThatThrownBy(() -> files.read(worktree(), "0003-none")).isInstanceOf(ValidationException.class);
    }

    @Test
    void anOversizedStepFileOrAFifoIsRefusedNotReadWhole() throws Exception {
        PlanningAnswer ok = new PlanningAnswer("# p", "c", "l", List.of(new PlanningAnswer.StepFile("00-a.md", "a")));
        files.write(worktree(), "0004-big", ok);
        Path dir = worktree().resolve(".protocols/0004-big");
        Files.writeString(dir.resolve("01-huge.md"), "x".repeat(2 * 1024 * 1024));
        assertThatThrownBy(() -> files.read(worktree(), "0004-big"))
                .isInstanceOfSatisfying(UntrustedContentException.class,
                        e -> assertThat(e.eventType()).isEqualTo(UntrustedContentException.UNSAFE_PATH))
                .hasMessageContaining("larger than 1048576 bytes");
        Files.delete(dir.resolve("01-huge.md"));
        Files.delete(dir.resolve("context.md"));
        Process mk = new ProcessBuilder("mkfifo", dir.resolve("context.md").toString()).start();
        assertThat(mk.waitFor()).isZero();
        assertThatThrownBy(() -> files.readFile(worktree(), "0004-big", "context.md"))
                .isInstanceOf(UntrustedContentException.class).hasMessageContaining("not a regular file");
    }
}
