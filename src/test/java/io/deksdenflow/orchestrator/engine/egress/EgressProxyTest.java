package io.deksdenflow.orchestrator.engine.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deksdenflow.orchestrator.testsupport.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service's end of the egress path, driven over its UNIX sockets as the sandbox's forwarders would. */
class EgressProxyTest {
    private ServerSocket allowedTarget;
    private ServerSocket otherLoopback;
    private EgressProxy proxy;
    private final List<EgressDenial> denials = new CopyOnWriteArrayList<>();

    /** Names a test resolves: one pointing at the loopback, one at a private address. */
    private static final Map<String, String> DNS = Map.of("evil.test", "127.0.0.1", "intranet.test", "10.1.2.3",
            "metadata.test", "169.254.169.254");

    @BeforeEach
    void start() throws IOException {
        allowedTarget = LoopbackPorts.greeter("hello from the model server\n");
        otherLoopback = LoopbackPorts.greeter("the service's API\n");
        EgressPolicy policy = EgressPolicy.of(List.of("*", "127.0.0.1:" + allowedTarget.getLocalPort()), host -> {
            String a = DNS.get(host);
            if (a == null) throw new UnknownHostException(host);
            return new InetAddress[] {InetAddress.getByName(a)};
        });
        proxy = EgressProxy.start(policy, denials::add);
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        allowedTarget.close();
        otherLoopback.close();
    }

    @Test
    void connectToTheListedLoopbackPortIsTunnelled() throws IOException {
        try (SocketChannel ch = proxySocket()) {
            send(ch, "CONNECT 127.0.0.1:" + allowedTarget.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n");
            String answer = readAll(ch);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("hello from the model server");
        }
        assertThat(denials).isEmpty();
    }

    @Test
    void theListedLoopbackPortHasItsOwnForwarder() throws IOException {
        assertThat(proxy.forwards()).singleElement().satisfies(f -> {
            assertThat(f.address()).isEqualTo("127.0.0.1");
            assertThat(f.port()).isEqualTo(allowedTarget.getLocalPort());
        });
        try (SocketChannel ch = unix(proxy.forwards().get(0).socket())) {
            assertThat(readAll(ch)).isEqualTo("hello from the model server\n");
        }
    }

    @Test
    void everyOtherLoopbackPrivateAndLinkLocalTargetIsRefusedAndRecordedOnce() throws IOException {
        int api = otherLoopback.getLocalPort();
        List<String> refused = List.of("127.0.0.1:" + api, "localhost:" + api, "localhost:6379", "10.0.0.1:443",
                "169.254.169.254:80", "evil.test:" + allowedTarget.getLocalPort(), "intranet.test:443",
                "[::1]:" + api, "0.0.0.0:" + api, "100.64.0.1:443", "[fd00::1]:443", "[::ffff:127.0.0.1]:" + api);
        for (String target : refused) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try (SocketChannel ch = proxySocket()) {
                    send(ch, "CONNECT " + target + " HTTP/1.1\r\n\r\n");
                    assertThat(readAll(ch)).as(target).startsWith("HTTP/1.1 403").doesNotContain("the service's API");
                }
            }
        }
        assertThat(denials).extracting(d -> (d.host().contains(":") ? "[" + d.host() + "]" : d.host()) + ":" + d.port())
                .containsExactlyElementsOf(refused);
    }

    @Test
    void anAllowedNameThatDoesNotResolveIsAFailureNotARefusal() throws IOException {
        try (SocketChannel ch = proxySocket()) {
            send(ch, "CONNECT no-such-host.test:443 HTTP/1.1\r\n\r\n");
            assertThat(readAll(ch)).startsWith("HTTP/1.1 502");
        }
        assertThat(denials).isEmpty();
    }

    @Test
    void plainHttpToTheMetadataAddressIsRefused() throws IOException {
        try (SocketChannel ch = proxySocket()) {
            send(ch, "GET http://metadata.test/latest/meta-data/ HTTP/1.1\r\nHost: metadata.test\r\n\r\n");
            assertThat(readAll(ch)).startsWith("HTTP/1.1 403");
        }
        assertThat(denials).singleElement().satisfies(d -> {
            assertThat(d.host()).isEqualTo("metadata.test");
            assertThat(d.port()).isEqualTo(80);
            assertThat(d.reason()).contains("link-local");
        });
    }

    @Test
    void plainHttpToTheListedPortIsForwardedInOriginForm() throws IOException {
        try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = echo.accept(); OutputStream out = s.getOutputStream()) {
                    byte[] head = readHead(s.getInputStream());
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + head.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(head);
                } catch (IOException ignored) {
                    // the test fails on the answer
                }
            });
            t.start();
            EgressProxy p = EgressProxy.start(EgressPolicy.of(List.of("127.0.0.1:" + echo.getLocalPort())), null);
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(p.directory().resolve(EgressProxy.PROXY_SOCKET)));
                send(ch, "GET http://127.0.0.1:" + echo.getLocalPort() + "/v1/models?x=1 HTTP/1.1\r\nHost: h\r\n"
                        + "Proxy-Authorization: secret\r\nConnection: keep-alive\r\n\r\n");
                String answer = readAll(ch);
                assertThat(answer).startsWith("HTTP/1.1 200").contains("GET /v1/models?x=1 HTTP/1.1")
                        .contains("Connection: close").doesNotContain("Proxy-Authorization");
            } finally {
                p.close();
            }
        }
    }

    @Test
    void closingTheRunLeavesNoThreadSocketOrDirectory() throws IOException {
        SocketChannel open = proxySocket();
        send(open, "CONNECT 127.0.0.1:" + allowedTarget.getLocalPort() + " HTTP/1.1\r\n\r\n");
        Path dir = proxy.directory();
        proxy.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.liveThreads() == 0);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("agent-egress-") && t.isAlive());
        assertThat(dir).doesNotExist();
        open.close();
    }

    @Test
    void manyRunsLeaveNoFileDescriptorsBehind() throws IOException {
        long before = openFds();
        for (int run = 0; run < 20; run++) {
            EgressProxy p = EgressProxy.start(EgressPolicy.of(List.of("127.0.0.1:" + allowedTarget.getLocalPort())), null);
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(p.directory().resolve(EgressProxy.PROXY_SOCKET)));
                send(ch, "CONNECT 127.0.0.1:" + allowedTarget.getLocalPort() + " HTTP/1.1\r\n\r\n");
                assertThat(readAll(ch)).startsWith("HTTP/1.1 200");
            }
            p.close();
        }
        // a little slack for the JVM's own files (class loading, logging)
        assertThat(openFds()).isLessThanOrEqualTo(before + 5);
    }

    private static long openFds() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private SocketChannel proxySocket() throws IOException {
        return unix(EgressProxy.PROXY_SOCKET);
    }

    private SocketChannel unix(String name) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(proxy.directory().resolve(name)));
        return ch;
    }

    private static void send(SocketChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) ch.write(b);
    }

    /** Everything until the other side closes (each target here closes after its greeting). */
    private static String readAll(SocketChannel ch) throws IOException {
        return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
    }

    private static byte[] readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.toString().endsWith("\r\n\r\n")) break;
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
