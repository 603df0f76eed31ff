package io.deksdenflow.orchestrator.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.testsupport.TestSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerPathsTest {
    @TempDir Path tmp;

    private static ServerPaths paths(TestSettings s) {
        return new ServerPaths(s.api(), s.workspace(), s.database(), s.secrets());
    }

    private TestSettings settings(boolean expose) {
        TestSettings s = new TestSettings();
        s.setWorkspace(tmp.resolve("ws").toString());
        s.setDbPath(tmp.resolve("data/db.sqlite").toString());
        s.setSecretsKeyFile(tmp.resolve("data/secrets.key").toString());
        s.setExposePaths(expose);
        return s;
    }

    @Test
    void workspaceAndDataFilesBecomePlaceholders() {
        ServerPaths p = paths(settings(false));
        String ws = tmp.resolve("ws").toString();
        assertThat(p.hide("failed in " + ws + "/projects/1/worktrees/0001-x: boom"))
                .isEqualTo("failed in <workspace>/projects/1/worktrees/0001-x: boom");
        assertThat(p.hide("cannot open " + tmp.resolve("data/db.sqlite") + " or " + tmp.resolve("data/secrets.key")))
                .isEqualTo("cannot open <data>/db.sqlite or <data>/secrets.key");
        // a sibling that merely starts with the same characters is not the workspace
        assertThat(p.hide(ws + "2/file")).isEqualTo(ws + "2/file");
        byte[] json = ("{\"last_error\":\"" + ws + "/x\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(new String(p.hide(json), StandardCharsets.UTF_8)).isEqualTo("{\"last_error\":\"<workspace>/x\"}");
        byte[] clean = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(p.hide(clean)).isSameAs(clean);
    }

    @Test
    void exposePathsLeavesThemAlone() {
        ServerPaths p = paths(settings(true));
        String text = "failed in " + tmp.resolve("ws") + "/projects/1";
        assertThat(p.hide(text)).isEqualTo(text);
        assertThat(p.active()).isFalse();
    }
}
