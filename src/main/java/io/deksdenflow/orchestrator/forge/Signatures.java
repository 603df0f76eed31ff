package io.deksdenflow.orchestrator.forge;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook authentication primitives, checked on the raw request body bytes before any parsing (the JDK's
 * {@link Mac}). Every comparison is constant-time ({@link MessageDigest#isEqual}); a missing secret, a
 * null/blank credential or a garbled signature is simply "not verified".
 */
public final class Signatures {
    private static final int SHA256_HEX_LENGTH = 64;

    private Signatures() {
    }

    /** Whether {@code hex} is the hex HMAC-SHA256 of {@code body} under {@code secret} (either case). */
    public static boolean hmacSha256HexMatches(String secret, byte[] body, String hex) {
        if (isBlank(secret) || body == null || isBlank(hex)) {
            return false;
        }
        String value = hex.trim();
        if (value.length() != SHA256_HEX_LENGTH) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmacSha256(secret, body), given);
    }

    /** The hex HMAC-SHA256 of {@code body} under {@code secret} (for senders and tests). */
    public static String hmacSha256Hex(String secret, byte[] body) {
        return HexFormat.of().formatHex(hmacSha256(secret, body));
    }

    /** Constant-time shared-token check: false when either side is null or blank. */
    public static boolean tokenMatches(String secret, String token) {
        if (isBlank(secret) || isBlank(token)) {
            return false;
        }
        // digest both sides first so that neither the content nor the length leaks through timing
        return MessageDigest.isEqual(sha256(secret.getBytes(StandardCharsets.UTF_8)),
                sha256(token.getBytes(StandardCharsets.UTF_8)));
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
