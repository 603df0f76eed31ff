package io.deksdenflow.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/ci_trigger.sh with stand-in gh/glab executables on PATH. */
class CiTriggerScriptTest {

    private static final Path SCRIPT = Path.of("scripts/ci_trigger.sh").toAbsolutePath();

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
    }

    private Path fakeBin(String... clis) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String cli : clis) {
            Path f = bin.resolve(cli);
            Files.writeString(f, "#!/bin/sh\nprintf '%s\\n' \"" + cli + "\" \"$@\" > \"" + tmp.resolve(cli + ".args") + "\"\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    private Result run(Path bin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        Path out = tmp.resolve("out"), err = tmp.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void githubRunsGhWorkflowRun() throws Exception {
        Result r = run(fakeBin("gh", "glab"), "--platform", "github", "--branch", "feature/0001-x", "--workflow", "ci.yml");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllLines(tmp.resolve("gh.args")))
                .containsExactly("gh", "workflow", "run", "ci.yml", "--ref", "feature/0001-x");
    }

    @Test
    void gitlabRunsGlabCiRun() throws Exception {
        Result r = run(fakeBin("gh", "glab"), "--platform=gitlab", "--branch=0001-x");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllLines(tmp.resolve("glab.args"))).containsExactly("glab", "ci", "run", "--branch", "0001-x");
    }

    @Test
    void missingCliIs127WithInstallHint() throws Exception {
        Path empty = fakeBin();
        Result gh = run(empty, "--platform", "github", "--branch", "b", "--workflow", "ci.yml");
        assertThat(gh.exit()).isEqualTo(127);
        assertThat(gh.err()).contains("gh", "GitHub CLI", "https://cli.github.com/");
        Result glab = run(empty, "--platform", "gitlab", "--branch", "b");
        assertThat(glab.exit()).isEqualTo(127);
        assertThat(glab.err()).contains("glab", "GitLab CLI", "install");
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        Path bin = fakeBin("gh", "glab");
        for (List<String> args : List.of(List.<String>of(), List.of("--platform", "github"),
                List.of("--platform", "github", "--branch", "b"), List.of("--platform", "svn", "--branch", "b"),
                List.of("--branch"), List.of("--platform", "gitlab", "--branch", "-x"), List.of("--bogus"))) {
            Result r = run(bin, args.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).contains("usage:").doesNotContain("unbound variable");
        }
        assertThat(tmp.resolve("gh.args")).doesNotExist();
        assertThat(tmp.resolve("glab.args")).doesNotExist();
    }
}
