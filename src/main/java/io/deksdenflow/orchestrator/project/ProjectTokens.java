package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.common.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Project tokens are stored only as SHA-256 hashes and compared in constant time. A request may
 * present several ({@code X-Project-Token} repeated or comma-separated, for a console that manages
 * several projects); it sees a token-protected project when one of them is that project's token.
 */
public final class ProjectTokens {
    /** At most this many tokens are read from one request. */
    static final int MAX_PRESENTED = 64;

    private ProjectTokens() {}

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tokens a request presented, hashed once. */
    public static final class Presented {
        private final List<byte[]> hashes;

        private Presented(List<byte[]> hashes) {
            this.hashes = hashes;
        }

        public boolean isEmpty() {
            return hashes.isEmpty();
        }

        /** True when the project has no token or one of the presented tokens is its token. */
        public boolean allows(Project project) {
            if (!project.hasProjectToken()) return true;
            byte[] expected = project.projectTokenHash().getBytes(StandardCharsets.US_ASCII);
            boolean match = false;
            for (byte[] h : hashes) match |= MessageDigest.isEqual(expected, h);
            return match;
        }
    }

    /**
     * The tokens of an {@code X-Project-Token} header value: comma-separated (repeated headers arrive
     * joined by commas), trimmed, empty parts dropped; the whole value counts too, so a token that
     * itself contains a comma still works.
     */
    public static Presented presented(String header) {
        List<byte[]> out = new ArrayList<>();
        if (header != null && !header.isBlank()) {
            List<String> parts = new ArrayList<>();
            parts.add(header.trim());
            for (String part : header.split(",")) {
                String t = part.trim();
                if (!t.isEmpty() && !parts.contains(t)) parts.add(t);
            }
            for (String t : parts.subList(0, Math.min(parts.size(), MAX_PRESENTED))) {
                out.add(hash(t).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return new Presented(out);
    }

    /** Throws 401 unless one of the tokens in {@code provided} is the project's token (always when the project has one). */
    public static void require(Project project, String provided) {
        if (!project.hasProjectToken()) return;
        Presented presented = presented(provided);
        if (presented.isEmpty()) {
            throw new UnauthorizedException("this project requires the X-Project-Token header");
        }
        if (!presented.allows(project)) {
            throw new UnauthorizedException("X-Project-Token does not match this project");
        }
    }
}
