package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.common.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Project tokens are stored only as SHA-256 hashes and compared in constant time. */
public final class ProjectTokens {
    private ProjectTokens() {}

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Throws 401 unless {@code provided} is the project's token (always when the project has one). */
    public static void require(Project project, String provided) {
        if (!project.hasProjectToken()) return;
        if (provided == null || provided.isEmpty()) {
            throw new UnauthorizedException("this project requires the X-Project-Token header");
        }
        byte[] expected = project.projectTokenHash().getBytes(StandardCharsets.US_ASCII);
        byte[] actual = hash(provided).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new UnauthorizedException("X-Project-Token does not match this project");
        }
    }
}
