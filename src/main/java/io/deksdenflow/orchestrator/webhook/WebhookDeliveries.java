package io.deksdenflow.orchestrator.webhook;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Replay protection. A delivery is known by its delivery id (GitHub {@code X-GitHub-Delivery};
 * GitLab {@code Idempotency-Key}, else {@code X-Gitlab-Event-UUID}) or, when it carries none, by the
 * SHA-256 of its raw body; it is a duplicate when that key was seen in the last 7 days. The key is
 * claimed with one Redis {@code SET key 1 NX EX 604800}, so the check and the mark are one atomic
 * step and two identical deliveries arriving at the same instant act once. (Camel's
 * {@code SpringRedisStringIdempotentRepository} sends SET NX and EXPIRE as two commands, which can
 * leave a key without expiry.) A claim is released when its delivery failed, so that the forge may
 * deliver it again.
 */
@Component
public class WebhookDeliveries {
    static final Duration KEEP = Duration.ofDays(7);
    private static final String PREFIX = "deksdenflow:webhook-delivery:";
    private static final int MAX_ID_LENGTH = 200;

    private final StringRedisTemplate redis;

    public WebhookDeliveries(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** The key of a delivery: its id when it carries a usable one, else the SHA-256 of its raw body. */
    public static String key(String provider, String deliveryId, byte[] body) {
        if (deliveryId != null && !deliveryId.isBlank() && deliveryId.length() <= MAX_ID_LENGTH) {
            return provider + ":" + deliveryId.trim();
        }
        return provider + ":sha256:" + sha256(body);
    }

    /** Atomically checks and marks a delivery: true when it is new (and now marked), false for a duplicate. */
    public boolean claim(String key) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(PREFIX + key, "1", KEEP));
    }

    /** Forgets a delivery that was not processed, so that it may be delivered again. */
    public void release(String key) {
        if (key != null) redis.delete(PREFIX + key);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
