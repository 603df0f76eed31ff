package io.deksdenflow.orchestrator.queue;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Script calls that do not wait for their reply: sent on the shared Lettuce connection (the one the template
 * uses), so that several calls are in flight at once, one after the other on the wire (Redis answers them in
 * order). The caller gets the reply as a future, flattened to strings (nil stays null) as the template's
 * string serializer would give it. A script Redis does not know yet (NOSCRIPT: restarted, flushed) is sent once
 * in full.
 */
final class PipelinedScripts {
    /** Beyond this a reply is given up (the template's commands time out the same way). */
    static final long TIMEOUT_SECONDS = 10;
    private static final byte[][] NO_KEYS = new byte[0][];

    private final RedisConnectionFactory connections;

    PipelinedScripts(RedisConnectionFactory connections) {
        this.connections = connections;
    }

    CompletableFuture<List<String>> run(RedisScript<?> script, List<String> args) {
        byte[][] values = new byte[args.size()][];
        for (int i = 0; i < values.length; i++) values[i] = args.get(i).getBytes(StandardCharsets.UTF_8);
        RedisClusterAsyncCommands<byte[], byte[]> redis;
        try {
            redis = commands();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<List<Object>> sent = redis.<List<Object>>evalsha(script.getSha1(), ScriptOutputType.MULTI,
                NO_KEYS, values).toCompletableFuture();
        return sent.handle((out, error) -> {
                    if (error == null) return CompletableFuture.completedFuture(out);
                    if (cause(error) instanceof RedisNoScriptException) {
                        return redis.<List<Object>>eval(script.getScriptAsString(), ScriptOutputType.MULTI, NO_KEYS, values)
                                .toCompletableFuture();
                    }
                    return CompletableFuture.<List<Object>>failedFuture(cause(error));
                })
                .thenCompose(f -> f)
                .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .handle((out, error) -> {
                    if (error != null) throw new CompletionException(translated(cause(error)));
                    return strings(out);
                });
    }

    /** The shared connection's asynchronous commands (the wrapper closed at once: the shared connection stays open). */
    private RedisClusterAsyncCommands<byte[], byte[]> commands() {
        try (RedisConnection connection = connections.getConnection()) {
            @SuppressWarnings("unchecked")
            RedisClusterAsyncCommands<byte[], byte[]> redis =
                    (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            return redis;
        }
    }

    private static List<String> strings(List<Object> out) {
        List<String> values = new ArrayList<>(out.size());
        for (Object v : out) {
            values.add(v == null ? null : v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString());
        }
        return values;
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** As the template reports it: a Spring DataAccessException (worker-errors and the callers know those). */
    private static RuntimeException translated(Throwable error) {
        return error instanceof RuntimeException r && r.getClass().getName().startsWith("org.springframework")
                ? r : new RedisSystemException("pipelined script call failed: " + error, error);
    }
}
