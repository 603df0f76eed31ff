package io.deksdenflow.orchestrator.webhook;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * In-memory {@link WebhookDeliveries} for route tests (no Redis): the same contract as the Redis one (an add
 * of a known key fails, as {@code SET NX} does), and every call remembered in order.
 */
class RecordingDeliveries extends WebhookDeliveries {
    final Set<String> keys = ConcurrentHashMap.newKeySet();
    final List<String> calls = new CopyOnWriteArrayList<>();

    RecordingDeliveries() {
        super(new StringRedisTemplate()); // never connected: every repository method is overridden
    }

    @Override
    public boolean add(String key) {
        calls.add("add " + key);
        return keys.add(key);
    }

    @Override
    public boolean contains(String key) {
        calls.add("contains " + key);
        return keys.contains(key);
    }

    @Override
    public boolean remove(String key) {
        calls.add("remove " + key);
        return keys.remove(key);
    }

    @Override
    public boolean confirm(String key) {
        calls.add("confirm " + key);
        return true;
    }

    @Override
    public void clear() {
        keys.clear();
        calls.clear();
    }

    @Override
    protected void doStart() {
    }

    @Override
    protected void doStop() {
    }

    @Override
    protected void doShutdown() {
    }
}
