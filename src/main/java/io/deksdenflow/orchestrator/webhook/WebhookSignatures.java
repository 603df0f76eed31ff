package io.deksdenflow.orchestrator.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook authentication, checked on the raw request body bytes before any JSON parsing.
 * Every comparison is constant-time ({@link MessageDigest#isEqual}); a missing secret, a
 * null/blank header or a garbled signature is simply "not verified".
 */
public final class WebhookSignatures {

    /** Prefix of GitHub's {@code X-Hub-Signature-256} header value. */
    public static final String GITHUB_PREFIX = "sha256=";

    private static final int SHA256_HEX_LENGTH = 64;

    private WebhookSignatures() {
    }

    /**
     * GitHub: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>}.
     *
     * @return true only when a secret is configured and the header carries the exact HMAC of {@code body}
     */
    public static boolean verifyGithub(String secret, byte[] body, String signatureHeader) {
        if (isBlank(secret) || body == null || isBlank(signatureHeader)) {
            return false;
        }
        String value = signatureHeader.trim();
        if (!value.regionMatches(true, 0, GITHUB_PREFIX, 0, GITHUB_PREFIX.length())) {
            return false;
        }
        String hex = value.substring(GITHUB_PREFIX.length());
        if (hex.length() != SHA256_HEX_LENGTH) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmacSha256(secret, body), given);
    }

    /** GitLab: {@code X-Gitlab-Token} must equal the shared secret. */
    public static boolean verifyGitlab(String secret, String tokenHeader) {
        return tokenMatches(secret, tokenHeader);
    }

    /**
     * Constant-time shared-token check (GitLab, the Jenkins YAML route, ...): false when either side
     * is null or blank.
     */
    public static boolean tokenMatches(String secret, String tokenHeader) {
        if (isBlank(secret) || isBlank(tokenHeader)) {
            return false;
        }
        // Digest both sides first so that neither the content nor the length leaks through timing.
        return MessageDigest.isEqual(sha256(secret.getBytes(StandardCharsets.UTF_8)),
                sha256(tokenHeader.getBytes(StandardCharsets.UTF_8)));
    }

    /** The {@code X-Hub-Signature-256} value GitHub would send for {@code body} (for senders and tests). */
    public static String githubSignature(String secret, byte[] body) {
        return GITHUB_PREFIX + HexFormat.of().formatHex(hmacSha256(secret, body));
    }

    private static byte[] hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
