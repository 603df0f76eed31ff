package io.deksdenflow.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-run copy of the operator's engine state: what is copied, how it is read, and that it goes away. */
class EngineStateTest {
    @TempDir Path tmp;

    @Test
    void eachRunGetsAFreshPrivateCopyOfTheOperatorsLoginAndNothingElse() throws Exception {
        Path codex = Files.createDirectories(tmp.resolve("op/codex"));
        Path claude = Files.createDirectories(tmp.resolve("op/claude"));
        Files.writeString(codex.resolve("config.toml"), "model = \"m\"\n");
        Files.writeString(codex.resolve("AGENTS.md"), "planted earlier\n");
        Files.createDirectories(codex.resolve("sessions"));
        Path elsewhere = Files.writeString(tmp.resolve("secret.txt"), "not a login\n");
        Files.createSymbolicLink(codex.resolve("auth.json"), elsewhere); // a link is never followed
        Files.writeString(claude.resolve(".credentials.json"), "x".repeat((int) EngineState.MAX_FILE_BYTES + 1));
        new ProcessBuilder("mkfifo", claude.resolve("settings.json").toString()).start().waitFor(); // never opened
        Files.writeString(claude.resolve(".claude.json"),
                "{\"oauthAccount\":{\"a\":1},\"projects\":{\"/other/project\":{\"history\":[]}},\"userID\":\"u\"}");
        EngineState state = new EngineState(tmp.resolve("state"),
                Map.of("CODEX_HOME", codex.toString(), "CLAUDE_CONFIG_DIR", claude.toString(), "HOME", tmp.toString()));

        Path first;
        try (EngineState.Run run = state.prepare(7L)) {
            first = run.dir();
            assertThat(run.dir()).startsWith(tmp.resolve("state/7"));
            assertThat(run.env()).containsEntry("CODEX_HOME", run.codexHome().toString())
                    .containsEntry("CLAUDE_CONFIG_DIR", run.claudeConfigDir().toString());
            try (var files = Files.list(run.codexHome())) {
                assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("config.toml");
            }
            assertThat(run.codexHome().resolve("config.toml")).hasContent("model = \"m\"");
            try (var files = Files.list(run.claudeConfigDir())) {
                assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly(".claude.json");
            }
            assertThat(Files.readString(run.claudeConfigDir().resolve(".claude.json")))
                    .contains("oauthAccount", "userID").doesNotContain("/other/project");
            for (Path p : new Path[] {tmp.resolve("state"), tmp.resolve("state/7"), run.dir(), run.codexHome()}) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rwx------");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run.codexHome().resolve("config.toml"))))
                    .isEqualTo("rw-------");
            Files.writeString(run.claudeConfigDir().resolve("settings.json"), "{\"hooks\":\"planted\"}");
        }
        assertThat(first).doesNotExist();
        try (EngineState.Run next = state.prepare(7L)) {
            assertThat(next.claudeConfigDir().resolve("settings.json")).doesNotExist();
        }
        assertThat(claude.resolve("settings.json")).satisfies(p -> assertThat(Files.isRegularFile(p)).isFalse());
    }

    @Test
    void withoutCodexHomeAndClaudeConfigDirTheHomeDirectoriesAreTheSource() throws Exception {
        Files.createDirectories(tmp.resolve(".codex"));
        Files.writeString(tmp.resolve(".codex/auth.json"), "{}");
        Files.writeString(tmp.resolve(".claude.json"), "{\"primaryApiKey\":\"k\",\"projects\":{}}");
        EngineState state = new EngineState(tmp.resolve("state"), Map.of("HOME", tmp.toString()));
        assertThat(state.operatorPaths()).containsExactly(tmp.resolve(".codex"), tmp.resolve(".claude"),
                tmp.resolve(".claude.json"));
        try (EngineState.Run run = state.prepare(null)) {
            assertThat(run.dir()).startsWith(tmp.resolve("state/no-project"));
            assertThat(run.codexHome().resolve("auth.json")).hasContent("{}");
            assertThat(run.claudeConfigDir().resolve(".claude.json")).hasContent("{\"primaryApiKey\":\"k\"}");
        }
    }
}
