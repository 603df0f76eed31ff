package io.deksdenflow.orchestrator.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSRF guard: which addresses a notification URL may reach, at save and at delivery. */
class UrlGuardTest {
    final UrlGuard guard = new UrlGuard(false);

    @Test
    void loopbackPrivateLinkLocalAndMetadataAddressesAreRefused() throws Exception {
        for (String address : List.of("127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::",
                "fe80::1", "fd00:ec2::254", "fc00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "2002:7f00:1::1")) {
            assertThat(UrlGuard.isPublic(InetAddress.getByName(address))).as(address).isFalse();
        }
        for (String address : List.of("93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8")) {
            assertThat(UrlGuard.isPublic(InetAddress.getByName(address))).as(address).isTrue();
        }
    }

    @Test
    void aChannelUrlToAPrivateHostIsA422NamingTheField() {
        for (String url : List.of("http://127.0.0.1:8080/hook", "https://localhost/hook", "http://[::1]/x",
                "http://169.254.169.254/latest/meta-data", "http://10.0.0.7/x")) {
            assertThatThrownBy(() -> guard.check("notifications[0].url", url)).as(url)
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("loopback, private, link-local or metadata")
                    .extracting(e -> ((ValidationException) e).field()).isEqualTo("notifications[0].url");
        }
    }

    @Test
    void onlyAbsoluteHttpUrlsWithoutUserInfo() {
        for (String url : List.of("ftp://example.com/x", "file:///etc/passwd", "example.com/hook", "http://user:pw@example.com/",
                "gopher://example.com")) {
            assertThatThrownBy(() -> UrlGuard.syntax("url", url)).as(url).isInstanceOf(ValidationException.class);
        }
        assertThat(UrlGuard.syntax("url", "https://hooks.example.com/a?b=c").getHost()).isEqualTo("hooks.example.com");
    }

    @Test
    void allowPrivateLetsPrivateHostsThrough() throws Exception {
        assertThat(new UrlGuard(true).check("url", "http://127.0.0.1:9/x").getHost()).isEqualTo("127.0.0.1");
        assertThat(new UrlGuard(true).addresses("localhost")).isNotEmpty();
    }
}
