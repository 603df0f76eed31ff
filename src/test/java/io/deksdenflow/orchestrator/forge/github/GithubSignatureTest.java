package io.deksdenflow.orchestrator.forge.github;

import io.deksdenflow.orchestrator.forge.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.forge.Signatures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** GitHub's {@code X-Hub-Signature-256} and the shared token check of {@link Signatures}. */
class GithubSignatureTest {
    private static final GithubForge GH = new GithubForge(new GithubSettings("https://api.github.com"), null);

    private static final String SECRET = "It's a Secret to Everybody";

    @Test
    void githubDocumentedExampleVerifies() {
        // Example from GitHub's "Validating webhook deliveries" documentation.
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        String header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assertThat(GithubForge.signature(SECRET, body)).isEqualTo(header);
        assertThat(GH.verifies(SECRET, header, body)).isTrue();
        assertThat(GH.verifies(SECRET, header.toUpperCase().replace("SHA256=", "sha256="), body)).isTrue();
    }

    @Test
    void githubSignatureIsOverTheRawBytes() {
        byte[] body = Fixtures.bytes("github/workflow_run-completed-success.json");
        String header = GithubForge.signature("s3cret", body);
        assertThat(GH.verifies("s3cret", header, body)).isTrue();

        // Same JSON, re-serialized (whitespace differs): must not verify.
        byte[] reserialized = Fixtures.json("github/workflow_run-completed-success.json").toString()
                .getBytes(StandardCharsets.UTF_8);
        assertThat(GH.verifies("s3cret", header, reserialized)).isFalse();

        byte[] tampered = Arrays.copyOf(body, body.length);
        tampered[10] ^= 1;
        assertThat(GH.verifies("s3cret", header, tampered)).isFalse();
        assertThat(GH.verifies("other", header, body)).isFalse();
    }

    @Test
    void githubMissingOrGarbledHeaderIsFalse() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String good = GithubForge.signature("k", body);
        assertThat(GH.verifies("k", null, body)).isFalse();
        assertThat(GH.verifies("k", "", body)).isFalse();
        assertThat(GH.verifies("k", "   ", body)).isFalse();
        assertThat(GH.verifies("k", "sha256=", body)).isFalse();
        assertThat(GH.verifies("k", good.substring(7), body)).isFalse();
        assertThat(GH.verifies("k", "sha1=" + good.substring(7), body)).isFalse();
        assertThat(GH.verifies("k", good.substring(0, good.length() - 2), body)).isFalse();
        assertThat(GH.verifies("k", good + "00", body)).isFalse();
        assertThat(GH.verifies("k", "sha256=" + "zz".repeat(32), body)).isFalse();
        assertThat(GH.verifies("k", good, null)).isFalse();
    }

    @Test
    void githubWithoutSecretNeverVerifies() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String emptyKeySignature = "sha256=" + "0".repeat(64);
        assertThat(GH.verifies(null, emptyKeySignature, body)).isFalse();
        assertThat(GH.verifies("", emptyKeySignature, body)).isFalse();
    }

    @Test
    void gitlabToken() {
        assertThat(Signatures.tokenMatches("tok-123", "tok-123")).isTrue();
        assertThat(Signatures.tokenMatches("tok-123", "tok-124")).isFalse();
        assertThat(Signatures.tokenMatches("tok-123", "tok-1234")).isFalse();
        assertThat(Signatures.tokenMatches("tok-123", "TOK-123")).isFalse();
        assertThat(Signatures.tokenMatches("tok-123", null)).isFalse();
        assertThat(Signatures.tokenMatches("tok-123", "")).isFalse();
        assertThat(Signatures.tokenMatches("", "")).isFalse();
        assertThat(Signatures.tokenMatches(null, "x")).isFalse();
    }
}
