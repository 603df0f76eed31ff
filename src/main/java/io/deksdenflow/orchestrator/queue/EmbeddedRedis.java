package io.deksdenflow.orchestrator.queue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real redis-server child process on a free loopback port, for runs without DEKSDENFLOW_REDIS_URL.
 * It listens on 127.0.0.1 only and requires a password generated at each start (never logged, never
 * on the command line: redis-server reads it from a 0600 config file that is deleted once it runs).
 *
 * <p>The process is started here rather than by the library's {@code RedisServer.start()}, which adds a JVM
 * shutdown hook that kills the server as soon as the JVM begins to exit — concurrently with Spring's own
 * hook, so the server died before its clients (claim loop, listener container, connection factory) had
 * stopped ("Cannot reconnect", a 10 s command timeout). Its owner stops it last: the Spring context in
 * its destroy phase, with a Spring Boot shutdown handler (run after the contexts are closed) as the
 * backstop, see {@link #startWithoutExitHook}; standalone users get a JVM shutdown hook.
 *
 * <p>A JVM that never runs its shutdown hooks (SIGKILL, OOM killer) takes the server with it: it is
 * started through {@code setpriv --pdeathsig KILL} (util-linux), so the kernel kills it when its parent
 * dies. The parent is the thread that started it, not the JVM, so every server is started from one
 * daemon thread that lives as long as the JVM.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The one thread that starts servers: their parent for {@code --pdeathsig}, alive until the JVM dies. */
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "embedded-redis-launcher");
        t.setDaemon(true);
        return t;
    });

    private final int port;
    private final String password;
    private final List<String> command;
    private final Path configFile;
    private volatile Process process;
    private Thread backstop;

    private EmbeddedRedis(int port, String password) throws IOException {
        this.port = port;
        this.password = password;
        RedisServerBuilder builder = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("protected-mode yes")
                .setting("requirepass " + password)
                .setting("save \"\"")
                .setting("appendonly no");
        // [redis-server, <generated config file>, --port, N]: the builder writes the settings to a
        // temp file (mode 0600); keep its path to delete it once the server has read it
        List<String> args = builder.buildCommandArgs();
        this.configFile = Path.of(args.get(1));
        this.command = withDeathSignal(args);
    }

    /** Starts a server on a free port (or on {@code port} when it is not 0) with a fresh random password. */
    public static EmbeddedRedis start(int port) {
        return start(port, newPassword());
    }

    /** Starts a server requiring {@code password} (a restart on the same port keeps its clients working). */
    public static EmbeddedRedis start(int port, String password) {
        return start(port, password, true);
    }

    /**
     * Starts a server on a free port without the JVM shutdown hook: the caller stops it, after every
     * client (a JVM hook would run concurrently with the hook that stops the clients).
     */
    public static EmbeddedRedis startWithoutExitHook() {
        return start(0, newPassword(), false);
    }

    private static EmbeddedRedis start(int port, String password, boolean exitHook) {
        EmbeddedRedis redis = null;
        try {
            redis = new EmbeddedRedis(port == 0 ? freePort() : port, password);
            redis.launch(exitHook);
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

    public boolean isActive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. Idempotent. */
    public synchronized void stop() {
        Process p = process;
        if (p == null) return;
        process = null;
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (backstop != null && Thread.currentThread() != backstop) {
            try {
                Runtime.getRuntime().removeShutdownHook(backstop);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the backstop runs (or ran) and finds nothing left to stop
            }
        }
    }

    /** {@code setpriv --pdeathsig KILL -- redis-server ...} when setpriv is installed, else the bare command. */
    static List<String> withDeathSignal(List<String> redisArgs) {
        Optional<Path> setpriv = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin")
                        .split(File.pathSeparator))
                .filter(d -> d.startsWith("/")).map(d -> Path.of(d, "setpriv"))
                .filter(f -> Files.isRegularFile(f) && Files.isExecutable(f)).findFirst();
        if (setpriv.isEmpty()) {
            log.warn("'setpriv' (util-linux) is not on the PATH: the embedded Redis may outlive a killed JVM");
            return List.copyOf(redisArgs);
        }
        List<String> out = new ArrayList<>(List.of(setpriv.get().toString(), "--pdeathsig", "KILL", "--"));
        out.addAll(redisArgs);
        return List.copyOf(out);
    }

    private void launch(boolean exitHook) throws IOException {
        String server = command.get(command.indexOf("--") + 1);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.directory(Path.of(server).toAbsolutePath().getParent().toFile());
        Process p;
        try {
            p = LAUNCHER.submit(pb::start).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException("could not start redis-server: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting redis-server", e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        boolean ready = false;
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.contains("eady to accept connections")) {
                ready = true;
                break;
            }
        }
        if (!ready) {
            p.destroyForcibly();
            throw new IOException("redis-server did not start: " + seen.toString().strip());
        }
        Thread drain = new Thread(() -> drain(out), "embedded-redis-out");
        drain.setDaemon(true);
        drain.start();
        process = p;
        if (exitHook) {
            backstop = new Thread(this::stop, "embedded-redis-stop");
            Runtime.getRuntime().addShutdownHook(backstop);
        }
    }

    private static void drain(BufferedReader out) {
        try (out) {
            while (out.readLine() != null) {
                // redis-server's log is not needed; reading keeps its pipe from filling up
            }
        } catch (IOException ignored) {
            // the server exited
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
