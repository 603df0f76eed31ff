package io.deksdenflow.orchestrator.engine.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's end of one agent run's egress path: UNIX domain sockets in a private directory (shown
 * to that run's sandbox only), one for the HTTP proxy ({@link ProxyConnection}: CONNECT and plain HTTP,
 * checked against the {@link EgressPolicy}) and one per explicit loopback entry (spliced to that host
 * port). Threads come from a small bounded pool of this run; {@link #close} closes every socket, stops
 * every thread and removes the directory.
 */
public final class EgressProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EgressProxy.class);
    public static final String PROXY_SOCKET = "proxy.sock";
    /** Connections handled at once per run; more wait in the socket's backlog. */
    static final int MAX_CONNECTIONS = 32;
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** A loopback entry: listened on at {@code address:port} in the sandbox, spliced through {@code socket}. */
    public record Forward(String address, int port, String socket) {}

    private final Path dir;
    private final EgressPolicy policy;
    private final Consumer<EgressDenial> denied;
    private final Set<String> deniedOnce = ConcurrentHashMap.newKeySet();
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final List<Forward> forwards = new ArrayList<>();
    private final ThreadPoolExecutor pool;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    private EgressProxy(Path dir, EgressPolicy policy, Consumer<EgressDenial> denied, int listeners) {
        this.dir = dir;
        this.policy = policy;
        this.denied = denied == null ? d -> { } : denied;
        // acceptors + two threads per connection (one per direction)
        this.pool = new ThreadPoolExecutor(0, listeners + 2 * MAX_CONNECTIONS, 10, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "agent-egress-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Opens the sockets of one run in a new private directory and starts accepting. */
    public static EgressProxy start(EgressPolicy policy, Consumer<EgressDenial> denied) throws IOException {
        Path dir = Files.createTempDirectory("deksdenflow-egress-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<EgressRule> loopback = policy.loopbackRules();
        EgressProxy proxy = new EgressProxy(dir, policy, denied, 1 + loopback.size());
        try {
            proxy.listen(PROXY_SOCKET, proxy::proxy);
            for (int i = 0; i < loopback.size(); i++) {
                EgressRule r = loopback.get(i);
                Forward f = new Forward(r.loopbackAddress(), r.port(), "port-" + i + ".sock");
                InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(f.address()), f.port());
                proxy.forwards.add(f);
                proxy.listen(f.socket(), client -> proxy.forward(client, target));
            }
        } catch (IOException | RuntimeException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    /** The host directory holding the sockets (bind-mounted into the sandbox). */
    public Path directory() { return dir; }

    public List<Forward> forwards() { return List.copyOf(forwards); }

    private void listen(String name, Consumer<SocketChannel> handler) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        servers.add(server);
        server.bind(UnixDomainSocketAddress.of(dir.resolve(name)), 64);
        pool.execute(() -> accept(server, handler));
    }

    private void accept(ServerSocketChannel server, Consumer<SocketChannel> handler) {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed with the run
            }
            if (connections.incrementAndGet() > MAX_CONNECTIONS || !submit(() -> handle(client, handler))) {
                connections.decrementAndGet();
                closeQuietly(client);
            }
        }
    }

    private void handle(SocketChannel client, Consumer<SocketChannel> handler) {
        track(client);
        try {
            handler.accept(client);
        } finally {
            closeQuietly(client);
            connections.decrementAndGet();
        }
    }

    private void proxy(SocketChannel client) {
        new ProxyConnection(this, client).serve();
    }

    /** A loopback entry's socket: spliced to that host port (listed, so not checked again). */
    private void forward(SocketChannel client, InetSocketAddress target) {
        SocketChannel upstream;
        try {
            upstream = connect(List.of(target.getAddress()), target.getPort());
        } catch (IOException e) {
            return; // nothing listens there: the agent sees its connection closed
        }
        try {
            splice(client, upstream);
        } finally {
            closeQuietly(upstream);
        }
    }

    EgressPolicy policy() { return policy; }

    /** Records a refusal once per run and {@code host:port}. */
    void denied(String host, int port, String reason) {
        if (deniedOnce.add(host + ":" + port)) {
            log.warn("agent egress denied: {}:{} ({})", host, port, reason);
            try {
                denied.accept(new EgressDenial(host, port, reason));
            } catch (RuntimeException e) {
                log.warn("recording an egress denial failed: {}", e.toString());
            }
        }
    }

    SocketChannel connect(List<InetAddress> addresses, int port) throws IOException {
        IOException last = null;
        for (InetAddress a : addresses) {
            SocketChannel ch = SocketChannel.open();
            track(ch);
            try {
                ch.socket().connect(new InetSocketAddress(a, port), 10_000);
                return ch;
            } catch (IOException e) {
                closeQuietly(ch);
                last = e;
            }
        }
        throw last != null ? last : new IOException("no address");
    }

    /** Copies both ways until both sides are done (or the run ends). */
    void splice(SocketChannel client, SocketChannel upstream) {
        Pump back = new Pump(upstream, client);
        if (!submit(back)) return;
        new Pump(client, upstream).run();
        back.await();
    }

    private boolean submit(Runnable r) {
        if (closed) return false;
        try {
            pool.execute(r);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void track(Channel ch) {
        open.add(ch);
        if (closed) closeQuietly(ch);
    }

    void closeQuietly(Channel ch) {
        open.remove(ch);
        try {
            ch.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Number of live pool threads (for tests: zero once closed). */
    int liveThreads() { return pool.getPoolSize(); }

    @Override
    public void close() {
        closed = true;
        servers.forEach(this::closeQuietly);
        for (Channel ch : List.copyOf(open)) closeQuietly(ch);
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) log.warn("egress threads still running after close");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // an empty temp directory left behind is harmless
        }
    }
}
