package io.deksdenflow.orchestrator.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The channel list's rules, its storage form and its redacted view. */
class ChannelsTest {
    final UrlGuard open = new UrlGuard(true);

    @Test
    void aBadGlobalListStopsStartUpNamingTheVariable() {
        assertThatThrownBy(() -> Channels.read("DEKSDENFLOW_NOTIFICATIONS", "{not json", open, false))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("DEKSDENFLOW_NOTIFICATIONS must be a JSON list");
        assertThatThrownBy(() -> Channels.read("DEKSDENFLOW_NOTIFICATIONS",
                "[{\"type\":\"slack\",\"webhook_url\":\"https://h.example/x\",\"events\":[\"nope\"]}]", open, false))
                .hasMessageContaining("DEKSDENFLOW_NOTIFICATIONS[0].events");
        assertThat(Channels.read("DEKSDENFLOW_NOTIFICATIONS", "", open, false)).isEmpty();
    }

    @Test
    void storedFormRoundTripsAndTheViewHidesUrlsAndSecrets() {
        List<Channel> channels = Channels.require("notifications", List.of(
                new Channels.Input("webhook", "https://h.example/p/SECRETPATH", "whsec_c2VjcmV0c2VjcmV0c2VjcmV0", null, null,
                        List.of("protocol_failed", "needs_input")),
                new Channels.Input("slack", null, null, "https://hooks.example/T/B/SLACKSECRET", null, List.of("pr_opened")),
                new Channels.Input("email", null, null, null, List.of("a@example.com"), List.of("needs_input"))), open, true);
        List<Channel> again = Channels.read("notifications", Channels.write(channels), open, true);
        assertThat(again).isEqualTo(channels);
        assertThat(again.get(0).key()).isEqualTo(channels.get(0).key());
        String views = channels.stream().map(Channel::view).toList() + " " + channels.stream().map(Channel::label).toList();
        assertThat(views).doesNotContain("SECRETPATH").doesNotContain("SLACKSECRET").doesNotContain("whsec_")
                .contains("h.example", "hooks.example", "a@example.com", "secret_set=true");
        // the key ignores the kinds: editing a channel's events keeps its identity (and its webhook-ids)
        Channel fewer = Channels.require("n", List.of(new Channels.Input("webhook", "https://h.example/p/SECRETPATH",
                "whsec_c2VjcmV0c2VjcmV0c2VjcmV0", null, null, List.of("ci_failed"))), open, true).get(0);
        assertThat(fewer.key()).isEqualTo(channels.get(0).key());
        assertThat(Notifier.messageId(7, fewer)).isEqualTo(Notifier.messageId(7, channels.get(0)))
                .isNotEqualTo(Notifier.messageId(8, fewer));
    }

    @Test
    void theSameDestinationTwiceIsA422() {
        assertThatThrownBy(() -> Channels.require("notifications", List.of(
                new Channels.Input("slack", null, null, "https://hooks.example/T/B/X", null, List.of("pr_opened")),
                new Channels.Input("slack", null, null, "https://hooks.example/T/B/X", null, List.of("ci_failed"))), open, true))
                .isInstanceOf(ValidationException.class).hasMessageContaining("notifications[1] repeats");
    }

    @Test
    void theSignatureIsStandardWebhooks() {
        // the example of the Standard Webhooks specification's reference libraries
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String body = "{\"test\": 2432232314}";
        assertThat(StandardWebhooks.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
