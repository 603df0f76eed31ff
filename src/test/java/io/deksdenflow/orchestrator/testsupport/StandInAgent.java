package io.deksdenflow.orchestrator.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The stand-in agent ({@code src/test/resources/agent/stand-in-agent}, python3): see the script's
 * docstring for its modes. Point {@code Settings.codexBin}/{@code claudeBin} at {@link #path()}
 * and choose the behaviour with env vars, or at a {@link #wrapper} that fixes them (the service
 * under test cannot change its own environment).
 */
public final class StandInAgent {
    private StandInAgent() {}

    /** The script on disk, made executable. */
    public static Path path() {
        URL url = StandInAgent.class.getResource("/agent/stand-in-agent");
        if (url == null) throw new IllegalStateException("stand-in-agent not on the test classpath");
        try {
            Path p = Path.of(url.toURI());
            p.toFile().setExecutable(true);
            return p;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code <dir>/<name>}, a shell wrapper that exports {@code env} and runs the stand-in
     * with the same arguments. Values are single-quoted, so they are taken literally. The stand-in is
     * copied beside the wrapper: the sandbox shows an agent's own directory, not the test classes'
     * (which a checkout under /tmp would put out of its sight).
     */
    public static Path wrapper(Path dir, String name, Map<String, String> env) {
        String exports = env.entrySet().stream()
                .map(e -> "export " + e.getKey() + "='" + e.getValue().replace("'", "'\\''") + "'")
                .collect(Collectors.joining("\n"));
        Path copy = dir.resolve("stand-in-agent");
        String text = "#!/bin/sh\n" + exports + "\nexec '" + copy + "' \"$@\"\n";
        try {
            Files.createDirectories(dir);
            if (!Files.exists(copy) || Files.mismatch(path(), copy) >= 0) {
                // atomically, so an agent starting meanwhile finds the old copy or the new one, never none
                Path tmp = Files.createTempFile(dir, ".stand-in-agent", ".tmp");
                Files.copy(path(), tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(tmp, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            Path p = dir.resolve(name);
            Files.writeString(p, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a script file ({@code STAND_IN_SCRIPT}) from its JSON text. */
    public static Path script(Path dir, String json) {
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve("stand-in-script.json");
            Files.writeString(p, json, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
