package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature (https://www.standardwebhooks.com, "Signature scheme"): header
 * {@code webhook-signature: v1,<base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))>}, where the key is
 * the base64-decoded part after {@code whsec_} of a {@code whsec_…} secret, and the secret's UTF-8 bytes for any
 * other secret (so that a receiver's library, given the same text, verifies it). HMAC by the JDK's {@link Mac}.
 */
final class StandardWebhooks {
    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";
    private static final String PREFIX = "whsec_";

    private StandardWebhooks() {}

    static byte[] key(String secret) {
        if (!secret.startsWith(PREFIX)) return secret.getBytes(StandardCharsets.UTF_8);
        try {
            return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("secret", "a whsec_ secret must be base64 after the prefix");
        }
    }

    /** The {@code webhook-signature} header's value for this message. */
    static String sign(String secret, String id, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
