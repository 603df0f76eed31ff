package io.deksdenflow.orchestrator.queue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/** A real redis-server child process on a free loopback port, for runs without DEKSDENFLOW_REDIS_URL. */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);

    private final int port;
    private final RedisServer server;

    private EmbeddedRedis(int port) throws IOException {
        this.port = port;
        this.server = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .onShutdownForceStop(true)
                .build();
    }

    /** Starts a server on a free port (or on {@code port} when it is not 0). */
    public static EmbeddedRedis start(int port) {
        try {
            EmbeddedRedis redis = new EmbeddedRedis(port == 0 ? freePort() : port);
            redis.server.start();
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the embedded Redis server: " + e.getMessage(), e);
        }
    }

    public int port() { return port; }

    public boolean isActive() { return server.isActive(); }

    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            log.warn("stopping the embedded Redis server failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() { stop(); }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
