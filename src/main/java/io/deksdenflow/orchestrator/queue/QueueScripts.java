package io.deksdenflow.orchestrator.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/** The queue's Lua scripts (classpath queue/*.lua), each prefixed with queue/common.lua. */
final class QueueScripts {
    final RedisScript<Long> push = script("push", Long.class);
    final RedisScript<List> start = script("start", List.class);
    final RedisScript<List> reclaim = script("reclaim", List.class);
    final RedisScript<List> renew = script("renew", List.class);
    final RedisScript<Long> fail = script("fail", Long.class);
    final RedisScript<List> finishNext = script("finish_next", List.class);
    final RedisScript<List> finishBatch = script("finish_batch", List.class);
    final RedisScript<Long> retry = script("retry", Long.class);
    final RedisScript<Long> release = script("release", Long.class);
    final RedisScript<Long> promote = script("promote", Long.class);
    final RedisScript<Long> trim = script("trim", Long.class);

    private static <T> RedisScript<T> script(String name, Class<T> type) {
        return RedisScript.of(read("common") + "\n" + read(name), type);
    }

    private static String read(String name) {
        try (InputStream in = new ClassPathResource("queue/" + name + ".lua").getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("missing queue script " + name, e);
        }
    }
}
