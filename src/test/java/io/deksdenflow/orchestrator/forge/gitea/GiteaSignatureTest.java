package io.deksdenflow.orchestrator.forge.gitea;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.forge.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code X-Gitea-Signature} / {@code X-Forgejo-Signature}: the plain hex HMAC-SHA256 of the raw body (no
 * {@code sha256=} prefix), and the Gitea / Forgejo delivery headers.
 */
class GiteaSignatureTest {
    private static final GiteaForge GITEA = new GiteaForge(new GiteaSettings(""), null);

    /** A header lookup as the webhook route gives it: case-insensitive, null when absent. */
    static UnaryOperator<String> headers(String... nameValue) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) m.put(nameValue[i].toLowerCase(Locale.ROOT), nameValue[i + 1]);
        return name -> m.get(name.toLowerCase(Locale.ROOT));
    }

    @Test
    void theSignatureIsPlainHexHmacSha256() {
        // RFC 4231 test case 2: HMAC-SHA256 of "what do ya want for nothing?" under key "Jefe"
        byte[] body = "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);
        String expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assertThat(GiteaForge.signature("Jefe", body)).isEqualTo(expected);
        assertThat(GITEA.verifies("Jefe", expected, body)).isTrue();
        assertThat(GITEA.verifies("Jefe", expected.toUpperCase(Locale.ROOT), body)).isTrue();
        assertThat(GITEA.verifies("Jefe", " " + expected + " ", body)).isTrue();
        // GitHub's form is not Gitea's
        assertThat(GITEA.verifies("Jefe", "sha256=" + expected, body)).isFalse();
    }

    @Test
    void theSignatureIsOverTheRawBytes() {
        for (String fixture : new String[] {"gitea/status-failure.json", "gitea/pull_request-closed-merged.json", "gitea/push.json"}) {
            byte[] body = Fixtures.bytes(fixture);
            String sig = GiteaForge.signature("s3cret", body);
            assertThat(sig).hasSize(64).matches("[0-9a-f]+");
            assertThat(GITEA.verifies("s3cret", sig, body)).isTrue();
            assertThat(GITEA.verifies("other", sig, body)).isFalse();

            byte[] reserialized = Fixtures.json(fixture).toString().getBytes(StandardCharsets.UTF_8);
            assertThat(reserialized).isNotEqualTo(body);
            assertThat(GITEA.verifies("s3cret", sig, reserialized)).isFalse();

            byte[] tampered = Arrays.copyOf(body, body.length);
            tampered[body.length / 2] ^= 1;
            assertThat(GITEA.verifies("s3cret", sig, tampered)).isFalse();
        }
    }

    @Test
    void missingOrGarbledSignaturesAndSecretsAreFalse() {
        byte[] body = Fixtures.bytes("gitea/status-failure.json");
        String good = GiteaForge.signature("k", body);
        assertThat(GITEA.verifies("k", null, body)).isFalse();
        assertThat(GITEA.verifies("k", "", body)).isFalse();
        assertThat(GITEA.verifies("k", "   ", body)).isFalse();
        assertThat(GITEA.verifies("k", good.substring(0, 62), body)).isFalse();
        assertThat(GITEA.verifies("k", good + "00", body)).isFalse();
        assertThat(GITEA.verifies("k", good.substring(0, 63) + "g", body)).isFalse();
        assertThat(GITEA.verifies("k", "zz".repeat(32), body)).isFalse();
        assertThat(GITEA.verifies("k", "0".repeat(64), body)).isFalse();
        assertThat(GITEA.verifies("k", good, null)).isFalse();
        assertThat(GITEA.verifies(null, good, body)).isFalse();
        assertThat(GITEA.verifies("", good, body)).isFalse();
        assertThat(GITEA.verifies(" ", GiteaForge.signature(" ", body), body)).isFalse();
    }

    @Test
    void giteaHeadersAreRead() {
        UnaryOperator<String> h = headers("X-Gitea-Event", "status", "X-Gitea-Delivery", "d-1", "X-Gitea-Signature", "abc");
        assertThat(GITEA.webhookEvent(h)).isEqualTo("status");
        assertThat(GITEA.webhookDeliveryId(h)).isEqualTo("d-1");
        assertThat(GITEA.webhookCredential(h)).isEqualTo("abc");
    }

    @Test
    void forgejoHeadersAreReadWhenGiteaOnesAreAbsent() {
        UnaryOperator<String> h = headers("X-Forgejo-Event", "pull_request", "X-Forgejo-Delivery", "f-2",
                "X-Forgejo-Signature", "def");
        assertThat(GITEA.webhookEvent(h)).isEqualTo("pull_request");
        assertThat(GITEA.webhookDeliveryId(h)).isEqualTo("f-2");
        assertThat(GITEA.webhookCredential(h)).isEqualTo("def");

        UnaryOperator<String> blankGitea = headers("X-Gitea-Event", " ", "X-Forgejo-Event", "push",
                "X-Gitea-Signature", "", "X-Forgejo-Signature", "def");
        assertThat(GITEA.webhookEvent(blankGitea)).isEqualTo("push");
        assertThat(GITEA.webhookCredential(blankGitea)).isEqualTo("def");
    }

    @Test
    void giteaHeadersWinWhenBothArePresent() {
        // Forgejo sends both families with the same values; should they differ, Gitea's are used
        UnaryOperator<String> h = headers("X-Gitea-Event", "status", "X-Forgejo-Event", "push",
                "X-Gitea-Delivery", "g", "X-Forgejo-Delivery", "f", "X-Gitea-Signature", "gs", "X-Forgejo-Signature", "fs");
        assertThat(GITEA.webhookEvent(h)).isEqualTo("status");
        assertThat(GITEA.webhookDeliveryId(h)).isEqualTo("g");
        assertThat(GITEA.webhookCredential(h)).isEqualTo("gs");
    }

    @Test
    void noHeadersGiveNull() {
        UnaryOperator<String> none = headers("X-GitHub-Event", "status", "X-Hub-Signature-256", "sha256=00");
        assertThat(GITEA.webhookEvent(none)).isNull();
        assertThat(GITEA.webhookDeliveryId(none)).isNull();
        assertThat(GITEA.webhookCredential(none)).isNull();
    }

    @Test
    void aSignedForgejoDeliveryVerifiesEndToEnd() {
        byte[] body = Fixtures.bytes("gitea/pull_request-synchronized.json");
        UnaryOperator<String> h = headers("X-Forgejo-Event", "pull_request", "X-Forgejo-Signature",
                GiteaForge.signature("hook-secret", body));
        assertThat(GITEA.verifies("hook-secret", GITEA.webhookCredential(h), body)).isTrue();
        assertThat(GITEA.verifies("another", GITEA.webhookCredential(h), body)).isFalse();
        assertThat(GITEA.translate(GITEA.webhookEvent(h), Fixtures.json("gitea/pull_request-synchronized.json")))
                .get().extracting(s -> s.prState()).isEqualTo("updated");
    }

    @Test
    void identity() {
        assertThat(GITEA.id()).isEqualTo("gitea");
        assertThat(GITEA.tokenSecret()).isEqualTo("GITEA_TOKEN");
        assertThat(GITEA.changeRequestShort()).isEqualTo("PR");
        assertThat(GITEA.changeRequestNoun()).isEqualTo("pull request");
    }
}
