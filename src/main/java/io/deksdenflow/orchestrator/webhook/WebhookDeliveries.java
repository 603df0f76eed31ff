package io.deksdenflow.orchestrator.webhook;

import java.time.Duration;
import org.apache.camel.component.redis.processor.idempotent.SpringRedisStringIdempotentRepository;
import org.apache.camel.spi.IdempotentRepository;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Replay protection: delivery ids ({@code X-GitHub-Delivery}, {@code X-Gitlab-Event-UUID}) seen in
 * Redis through Camel's Spring Redis idempotent repository (one key per delivery, kept 7 days). A
 * delivery is marked only after it was processed successfully, so a failed one may be redelivered.
 */
@Component
public class WebhookDeliveries {
    static final Duration KEEP = Duration.ofDays(7);
    private static final String REPOSITORY = "deksdenflow:webhook-delivery";
    private static final int MAX_ID_LENGTH = 200;

    private final IdempotentRepository repository;

    public WebhookDeliveries(StringRedisTemplate redis) throws Exception {
        SpringRedisStringIdempotentRepository repo = new SpringRedisStringIdempotentRepository(redis, REPOSITORY);
        repo.setExpiry(KEEP.toSeconds());
        repo.start();
        this.repository = repo;
    }

    /** The repository key for a delivery, or null when the delivery carries no usable id. */
    public static String key(String provider, String deliveryId) {
        if (deliveryId == null || deliveryId.isBlank() || deliveryId.length() > MAX_ID_LENGTH) {
            return null;
        }
        return provider + ":" + deliveryId.trim();
    }

    public boolean seen(String key) {
        return key != null && repository.contains(key);
    }

    public void markSeen(String key) {
        if (key != null) {
            repository.add(key);
        }
    }
}
