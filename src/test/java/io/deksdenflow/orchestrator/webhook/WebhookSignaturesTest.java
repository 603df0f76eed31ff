package io.deksdenflow.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {

    private static final String SECRET = "It's a Secret to Everybody";

    @Test
    void githubDocumentedExampleVerifies() {
        // Example from GitHub's "Validating webhook deliveries" documentation.
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        String header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assertThat(WebhookSignatures.githubSignature(SECRET, body)).isEqualTo(header);
        assertThat(WebhookSignatures.verifyGithub(SECRET, body, header)).isTrue();
        assertThat(WebhookSignatures.verifyGithub(SECRET, body, header.toUpperCase().replace("SHA256=", "sha256="))).isTrue();
    }

    @Test
    void githubSignatureIsOverTheRawBytes() {
        byte[] body = Fixtures.bytes("github/workflow_run-completed-success.json");
        String header = WebhookSignatures.githubSignature("s3cret", body);
        assertThat(WebhookSignatures.verifyGithub("s3cret", body, header)).isTrue();

        // Same JSON, re-serialized (whitespace differs): must not verify.
        byte[] reserialized = Fixtures.json("github/workflow_run-completed-success.json").toString()
                .getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignatures.verifyGithub("s3cret", reserialized, header)).isFalse();

        byte[] tampered = Arrays.copyOf(body, body.length);
        tampered[10] ^= 1;
        assertThat(WebhookSignatures.verifyGithub("s3cret", tampered, header)).isFalse();
        assertThat(WebhookSignatures.verifyGithub("other", body, header)).isFalse();
    }

    @Test
    void githubMissingOrGarbledHeaderIsFalse() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String good = WebhookSignatures.githubSignature("k", body);
        assertThat(WebhookSignatures.verifyGithub("k", body, null)).isFalse();
        assertThat(WebhookSignatures.verifyGithub("k", body, "")).isFalse();
        assertThat(WebhookSignatures.verifyGithub("k", body, "   ")).isFalse();
        assertThat(WebhookSignatures.verifyGithub("k", body, "sha256=")).isFalse();
        assertThat(WebhookSignatures.verifyGithub("k", body, good.substring(7))).isFalse();
        assertThat(WebhookSignatures.verifyGithub("k", body, "sha1=" + good.substring(7))).isFalse();
        assertThat(WebhookSignatures.verifyGithub("k", body, good.substring(0, good.length() - 2))).isFalse();
        assertThat(WebhookSignatures.verifyGithub("k", body, good + "00")).isFalse();
        assertThat(WebhookSignatures.verifyGithub("k", body, "sha256=" + "zz".repeat(32))).isFalse();
        assertThat(WebhookSignatures.verifyGithub("k", null, good)).isFalse();
    }

    @Test
    void githubWithoutSecretNeverVerifies() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String emptyKeySignature = "sha256=" + "0".repeat(64);
        assertThat(WebhookSignatures.verifyGithub(null, body, emptyKeySignature)).isFalse();
        assertThat(WebhookSignatures.verifyGithub("", body, emptyKeySignature)).isFalse();
    }

    @Test
    void gitlabToken() {
        assertThat(WebhookSignatures.verifyGitlab("tok-123", "tok-123")).isTrue();
        assertThat(WebhookSignatures.verifyGitlab("tok-123", "tok-124")).isFalse();
        assertThat(WebhookSignatures.verifyGitlab("tok-123", "tok-1234")).isFalse();
        assertThat(WebhookSignatures.verifyGitlab("tok-123", "TOK-123")).isFalse();
        assertThat(WebhookSignatures.verifyGitlab("tok-123", null)).isFalse();
        assertThat(WebhookSignatures.verifyGitlab("tok-123", "")).isFalse();
        assertThat(WebhookSignatures.verifyGitlab("", "")).isFalse();
        assertThat(WebhookSignatures.verifyGitlab(null, "x")).isFalse();
    }
}
