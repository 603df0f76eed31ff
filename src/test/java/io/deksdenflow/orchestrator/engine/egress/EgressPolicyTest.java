package io.deksdenflow.orchestrator.engine.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EgressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "http://api.openai.com", "a b", "host:0", "host:99999", "host:x", "127.0.0.1",
            "localhost", "*.1.2.3.4", "[::1]:80", "::1", "exa_mple.com", "-bad.com", "300.1.1.1:80", "*.", "**"})
    void garbageEntriesAreRejected(String entry) {
        assertThatThrownBy(() -> EgressPolicy.validate(List.of(entry))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entriesAreNormalised() {
        assertThat(EgressPolicy.validate(List.of(" API.OpenAI.com ", "*.npmjs.org", "registry.npmjs.org:443",
                "127.0.0.1:11434", "localhost:8080", "*"))).containsExactly("api.openai.com", "*.npmjs.org",
                "registry.npmjs.org:443", "127.0.0.1:11434", "localhost:8080", "*");
    }

    @Test
    void hostsMatchByNamePortAndWildcard() {
        EgressPolicy p = EgressPolicy.of(List.of("api.openai.com", "*.npmjs.org", "pypi.org:443"), h -> public1());
        assertThat(p.decide("api.openai.com", 443).allowed()).isTrue();
        assertThat(p.decide("API.OPENAI.COM.", 8443).allowed()).isTrue();
        assertThat(p.decide("registry.npmjs.org", 443).allowed()).isTrue();
        assertThat(p.decide("npmjs.org", 443).allowed()).isFalse();
        assertThat(p.decide("evilnpmjs.org", 443).allowed()).isFalse();
        assertThat(p.decide("pypi.org", 443).allowed()).isTrue();
        assertThat(p.decide("pypi.org", 80).allowed()).isFalse();
        assertThat(p.decide("example.com", 443).reason()).isEqualTo("not on the allow-list");
    }

    @Test
    void anyHostStillNeverReachesLoopbackOrPrivateAddresses() throws UnknownHostException {
        EgressPolicy p = EgressPolicy.of(List.of("*", "127.0.0.1:11434"), h -> new InetAddress[] {InetAddress.getByName(
                h.equals("rebind.test") ? "127.0.0.1" : h.equals("mixed.test") ? "10.0.0.1" : "93.184.216.34")});
        assertThat(p.decide("example.com", 443).allowed()).isTrue();
        assertThat(p.decide("127.0.0.1", 11434).allowed()).isTrue();
        assertThat(p.decide("localhost", 11434).allowed()).isTrue();
        assertThat(p.decide("127.0.0.1", 11435).allowed()).isFalse();
        assertThat(p.decide("127.0.0.2", 11434).allowed()).isFalse();
        assertThat(p.decide("rebind.test", 11434).allowed()).isFalse();
        assertThat(p.decide("mixed.test", 443).reason()).contains("private");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "10.1.1.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "100.64.0.1", "100.127.255.254", "169.254.169.254", "0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255",
            "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
            "64:ff9b::a00:1", "2002:7f00:1::1"})
    void forbiddenAddresses(String address) throws UnknownHostException {
        assertThat(EgressPolicy.forbidden(InetAddress.getByName(address))).as(address).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "1.1.1.1"})
    void publicAddresses(String address) throws UnknownHostException {
        assertThat(EgressPolicy.forbidden(InetAddress.getByName(address))).as(address).isNull();
    }

    @Test
    void eachEngineGetsItsModelApiAndAPublicBaseUrlButNeverALoopbackOne() {
        assertThat(EgressDefaults.modelHosts("codex", Map.of()))
                .containsExactly("api.openai.com", "chatgpt.com", "auth.openai.com");
        assertThat(EgressDefaults.modelHosts("claude", Map.of("ANTHROPIC_BASE_URL", "https://llm.example.com/anthropic")))
                .containsExactly("api.anthropic.com", "llm.example.com:443");
        assertThat(EgressDefaults.modelHosts("codex", Map.of("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")))
                .doesNotContain("127.0.0.1:11434");
        assertThat(EgressDefaults.modelHosts("command", Map.of())).isEmpty();
    }

    private static InetAddress[] public1() throws UnknownHostException {
        return new InetAddress[] {InetAddress.getByName("93.184.216.34")};
    }
}
