package io.deksdenflow.orchestrator.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SSRF guard at delivery: whatever a URL was at save (or DNS said then), the sending client refuses to
 * connect to a private address — and with DEKSDENFLOW_NOTIFY_ALLOW_PRIVATE=true the same receiver is reached.
 * Also the answers' classes: 5xx and 429 are retried with their Retry-After, another 4xx is refused.
 */
class DeliveryGuardTest {
    final Receiver receiver;

    DeliveryGuardTest() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void close() {
        receiver.close();
    }

    static OutboundHttp http(boolean allowPrivate) {
        return new OutboundHttp(NotifySettings.defaults().withAllowPrivate(allowPrivate));
    }

    @Test
    void aPrivateAddressIsRefusedAtDeliveryAndNothingIsSent() throws Exception {
        OutboundHttp guarded = http(false);
        for (String url : new String[] {receiver.url("/a"), receiver.url("/a").replace("127.0.0.1", "localhost")}) {
            assertThatThrownBy(() -> guarded.postJson("webhook test", url, Map.of(), "{}"))
                    .isInstanceOf(DeliveryFailure.Refused.class)
                    .hasMessageContaining("loopback, private, link-local or metadata")
                    .hasMessageNotContaining("/a");
        }
        assertThat(receiver.requests).isEmpty();
        guarded.destroy();

        OutboundHttp open = http(true);
        assertThat(open.postJson("webhook test", receiver.url("/a"), Map.of(), "{}")).isEqualTo(200);
        assertThat(receiver.requests).hasSize(1);
        open.destroy();
    }

    @Test
    void answersAreClassified() throws Exception {
        OutboundHttp open = http(true);
        receiver.answer(503, 7).answer(429, -1).answer(404, -1);
        assertThatThrownBy(() -> open.postJson("w", receiver.url("/x"), Map.of(), "{}"))
                .isNotInstanceOf(DeliveryFailure.Refused.class)
                .satisfies(e -> assertThat(((DeliveryFailure) e).retryAfter()).hasSeconds(7));
        assertThatThrownBy(() -> open.postJson("w", receiver.url("/x"), Map.of(), "{}"))
                .isNotInstanceOf(DeliveryFailure.Refused.class).hasMessageContaining("429");
        assertThatThrownBy(() -> open.postJson("w", receiver.url("/x"), Map.of(), "{}"))
                .isInstanceOf(DeliveryFailure.Refused.class).hasMessageContaining("404");
        open.destroy();
    }
}
