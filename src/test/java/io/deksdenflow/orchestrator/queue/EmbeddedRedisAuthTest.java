package io.deksdenflow.orchestrator.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded server: loopback only, a fresh password per start, no config file left behind. */
class EmbeddedRedisAuthTest {
    EmbeddedRedis server;

    @BeforeEach
    void start() {
        server = EmbeddedRedis.start(0);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aConnectionWithoutThePasswordIsRefusedAndWithItWorks() throws IOException {
        try (RawRedis raw = new RawRedis(InetAddress.getLoopbackAddress(), server.port())) {
            assertThat(raw.command("PING")).startsWith("-NOAUTH");
            assertThat(raw.command("SET", "k", "v")).startsWith("-NOAUTH");
            assertThat(raw.command("AUTH", "not-the-password")).startsWith("-WRONGPASS");
            assertThat(raw.command("AUTH", server.password())).isEqualTo("+OK");
            assertThat(raw.command("PING")).isEqualTo("+PONG");
            assertThat(raw.command("SET", "k", "v")).isEqualTo("+OK");
        }
        assertThat(RedisUrl.parse(server.url()).password()).isEqualTo(server.password());
        assertThat(RedisUrl.parse(server.url()).toString()).doesNotContain(server.password());
    }

    @Test
    void eachStartHasItsOwnPassword() {
        try (EmbeddedRedis second = EmbeddedRedis.start(0)) {
            assertThat(second.password()).hasSize(64).isNotEqualTo(server.password());
        }
    }

    @Test
    void itListensOnLoopbackOnly() throws IOException {
        Optional<InetAddress> external = externalAddress();
        assumeTrue(external.isPresent(), "this machine has no non-loopback address to try");
        assertThatThrownBy(() -> new RawRedis(external.get(), server.port()).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void thePasswordIsNotLeftInATemporaryConfigFile() {
        File[] left = new File(System.getProperty("java.io.tmpdir"))
                .listFiles((dir, name) -> name.startsWith("embedded-redis-server_" + server.port()));
        assertThat(left).isEmpty();
    }

    private static Optional<InetAddress> externalAddress() throws SocketException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) continue;
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
