package io.deksdenflow.orchestrator.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Loopback listeners for network tests: is a port answering, and a listener that greets and closes. */
public final class LoopbackPorts {
    private LoopbackPorts() {}

    /** Whether something accepts connections on 127.0.0.1:{@code port} (within a second). */
    public static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A loopback listener on a free port that writes {@code greeting} to every connection and closes it. */
    public static ServerSocket greeter(String greeting) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    c.getOutputStream().write(greeting.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return;
                }
            }
        }, "greeter");
        t.setDaemon(true);
        t.start();
        return s;
    }
}
