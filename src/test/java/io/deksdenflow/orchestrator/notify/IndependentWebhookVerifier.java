package io.deksdenflow.orchestrator.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's own check of the Standard Webhooks signature, written from the specification
 * (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md, "Verifying
 * webhook authenticity"), not from the service's class: the key is the base64 after {@code whsec_}; the signed
 * content is {@code msg_id.timestamp.payload}; the header is a space-separated list of {@code v1,<base64>}, any
 * of which may match (compared in constant time); the timestamp must be within five minutes of now.
 */
final class IndependentWebhookVerifier {
    private IndependentWebhookVerifier() {}

    static boolean verifies(String whsecSecret, Map<String, String> headers, String body) throws Exception {
        String id = headers.get("webhook-id");
        String timestamp = headers.get("webhook-timestamp");
        String signatures = headers.get("webhook-signature");
        if (id == null || timestamp == null || signatures == null) return false;
        long ts = Long.parseLong(timestamp);
        if (Math.abs(System.currentTimeMillis() / 1000 - ts) > 300) return false;
        byte[] key = Base64.getDecoder().decode(whsecSecret.substring("whsec_".length()));
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] expected = hmac.doFinal((id + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8));
        for (String versioned : signatures.split(" ")) {
            String[] parts = versioned.split(",", 2);
            if (parts.length == 2 && parts[0].equals("v1")
                    && MessageDigest.isEqual(Base64.getDecoder().decode(parts[1]), expected)) {
                return true;
            }
        }
        return false;
    }
}
