package io.deksdenflow.orchestrator.engine.egress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The agent's side of its egress path, inside its own network namespace: {@code socat} forwarders from
 * loopback ports to the run's {@link EgressProxy} sockets (bind-mounted at {@link #SANDBOX_DIR}), started
 * by a small shell that waits until every port listens and then {@code exec}s the agent; the proxy
 * variables the agent sees; and the host's filesystem sockets, which the sandbox covers.
 */
public final class AgentNetwork {
    /** Where the run's egress sockets appear inside the sandbox (under the sandbox's private /run). */
    public static final String SANDBOX_DIR = "/run/deksdenflow-egress";
    static final int PROXY_PORT = 3128;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private AgentNetwork() {}

    /** The proxy's port inside the namespace: 3128, or the next one no loopback entry uses. */
    public static int proxyPort(List<EgressProxy.Forward> forwards) {
        int port = PROXY_PORT;
        while (true) {
            final int p = port;
            if (forwards.stream().noneMatch(f -> f.port() == p)) return port;
            port++;
        }
    }

    /**
     * {@code sh -c SCRIPT deksdenflow-egress} to put before the agent's argv: starts one forwarder per
     * port, waits (reading /proc/net/tcp, no sleeping) until each listens, fails with exit 125 if a
     * forwarder died, then replaces itself with the agent.
     */
    public static List<String> wrapper(String socat, int proxyPort, List<EgressProxy.Forward> forwards) {
        StringBuilder s = new StringBuilder("pids=\n");
        List<String> ports = new ArrayList<>();
        s.append(forwarder(socat, "127.0.0.1", proxyPort, EgressProxy.PROXY_SOCKET));
        ports.add(hexPort(proxyPort));
        for (EgressProxy.Forward f : forwards) {
            s.append(forwarder(socat, f.address(), f.port(), f.socket()));
            ports.add(hexPort(f.port()));
        }
        s.append("for p in ").append(String.join(" ", ports)).append("; do\n")
                .append("  while ! grep -q \":$p 00000000:0000 0A\" /proc/net/tcp; do\n")
                .append("    for q in $pids; do kill -0 \"$q\" 2>/dev/null || { echo 'deksdenflow: the agent egress forwarder (socat) did not start' >&2; exit 125; }; done\n")
                .append("  done\n")
                .append("done\n")
                .append("exec \"$@\"\n");
        return List.of("/bin/sh", "-c", s.toString(), "deksdenflow-egress");
    }

    private static String forwarder(String socat, String address, int port, String socket) {
        return "'" + socat + "' TCP-LISTEN:" + port + ",bind=" + address + ",fork,reuseaddr UNIX-CONNECT:"
                + SANDBOX_DIR + "/" + socket + " &\npids=\"$pids $!\"\n";
    }

    private static String hexPort(int port) {
        return String.format(Locale.ROOT, "%04X", port);
    }

    /** The proxy variables (both spellings) and the loopback exemption. */
    public static Map<String, String> proxyEnv(int proxyPort) {
        String url = "http://127.0.0.1:" + proxyPort;
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")) env.put(name, url);
        env.put("NO_PROXY", "localhost,127.0.0.1,::1");
        env.put("no_proxy", "localhost,127.0.0.1,::1");
        return env;
    }

    /** The filesystem sockets the host has open (from /proc/net/unix), as real paths of existing sockets. */
    public static List<Path> hostSockets() {
        return hostSockets(Path.of("/proc/net/unix"));
    }

    static List<Path> hostSockets(Path procNetUnix) {
        Set<Path> out = new LinkedHashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(procNetUnix);
        } catch (IOException e) {
            return List.of();
        }
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            // Num RefCount Protocol Flags Type St Inode Path; abstract names start with '@'
            if (f.length < 8 || !f[7].startsWith("/")) continue;
            Path p = Path.of(line.substring(line.indexOf(f[7], line.indexOf(f[6]) + f[6].length())).strip());
            try {
                Path real = p.toRealPath();
                Object mode = Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if (mode instanceof Integer m && (m & S_IFMT) == S_IFSOCK) out.add(real);
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                // gone, or not a socket any more
            }
        }
        return new ArrayList<>(out);
    }
}
