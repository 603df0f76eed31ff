package io.deksdenflow.orchestrator.queue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real redis-server child process on a free loopback port, for runs without DEKSDENFLOW_REDIS_URL.
 * It listens on 127.0.0.1 only and requires a password generated at each start (never logged, never
 * on the command line: redis-server reads it from a 0600 config file that is deleted once it runs).
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int port;
    private final String password;
    private final RedisServer server;
    private final Path configFile;

    private EmbeddedRedis(int port, String password) throws IOException {
        this.port = port;
        this.password = password;
        RedisServerBuilder builder = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("protected-mode yes")
                .setting("requirepass " + password)
                .setting("save \"\"")
                .setting("appendonly no")
                .onShutdownForceStop(true);
        // [redis-server, <generated config file>, --port, N]: the builder writes the settings to a
        // temp file (mode 0600); keep its path to delete it once the server has read it
        List<String> args = builder.buildCommandArgs();
        this.configFile = Path.of(args.get(1));
        this.server = new RedisServer(port, args, true);
    }

    /** Starts a server on a free port (or on {@code port} when it is not 0) with a fresh random password. */
    public static EmbeddedRedis start(int port) {
        return start(port, newPassword());
    }

    /** Starts a server requiring {@code password} (a restart on the same port keeps its clients working). */
    public static EmbeddedRedis start(int port, String password) {
        EmbeddedRedis redis = null;
        try {
            redis = new EmbeddedRedis(port == 0 ? freePort() : port, password);
            redis.server.start();
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the embedded Redis server: " + e.getMessage(), e);
        } finally {
            if (redis != null) redis.deleteConfigFile();
        }
    }

    static String newPassword() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    public int port() { return port; }

    /** The password clients must send (AUTH); never log it. */
    public String password() { return password; }

    /** {@code redis://:<password>@127.0.0.1:<port>/0}, for clients of this server. */
    public String url() { return "redis://:" + password + "@127.0.0.1:" + port + "/0"; }

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

    private void deleteConfigFile() {
        try {
            Files.deleteIfExists(configFile);
        } catch (IOException e) {
            log.warn("could not delete the embedded Redis config file {}: {}", configFile, e.getMessage());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
