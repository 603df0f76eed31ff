package io.deksdenflow.orchestrator.webhook;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.apache.camel.component.redis.processor.idempotent.SpringRedisStringIdempotentRepository;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Replay protection: the Redis-backed {@link org.apache.camel.spi.IdempotentRepository} behind the
 * {@code idempotentConsumer} step of the forges' {@code webhook-<forge>} routes. A delivery is
 * known by its delivery id (the forge's delivery header, {@code Forge#webhookDeliveryId}) or, when it
 * carries none, by the SHA-256 of its raw body; it is a
 * duplicate when that key was seen in the last 7 days.
 *
 * <p>The idempotent consumer is eager: it adds the key before the delivery is processed, and
 * camel-spring-redis adds it with one {@code SET deksdenflow:webhook-delivery:<key> <key> NX EX 604800}
 * (the repository has an expiry), so the check and the mark are one atomic step and two identical
 * deliveries arriving at the same instant act once. When the delivery fails (an exception, or an
 * error answer of {@code direct:ci-status}, both handled by {@code api-errors}) the consumer removes
 * the key again, so that the forge may deliver it again.
 */
@Component
public class WebhookDeliveries extends SpringRedisStringIdempotentRepository {
    static final Duration KEEP = Duration.ofDays(7);
    /** The Redis key prefix (the repository name); the key is {@code <name>:<provider>:<id or sha256:...>}. */
    static final String NAME = "deksdenflow:webhook-delivery";
    private static final int MAX_ID_LENGTH = 200;

    public WebhookDeliveries(StringRedisTemplate redis) {
        super(redis, NAME);
        setExpiry(KEEP.toSeconds());
    }

    /** The key of a delivery: its id when it carries a usable one, else the SHA-256 of its raw body. */
    public static String key(String provider, String deliveryId, byte[] body) {
        if (deliveryId != null && !deliveryId.isBlank() && deliveryId.length() <= MAX_ID_LENGTH) {
            return provider + ":" + deliveryId.trim();
        }
        return provider + ":sha256:" + sha256(body);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
