package io.deksdenflow.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.common.Parkable;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageLimitParkingTest {
    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");
    private final UsageLimitWait policy = new UsageLimitWait(Duration.ofMinutes(5), Duration.ofHours(6));

    private static Parkable limit(Instant resetAt) {
        return new Parkable() {
            public Instant retryAt() { return resetAt; }
            public String source() { return "codex"; }
        };
    }

    @Test
    void waitsUntilTheResetCappedAndTheBackoffWithoutOne() {
        assertThat(policy.parkUntil(limit(NOW.plusSeconds(90)), NOW)).isEqualTo(NOW.plusSeconds(90));
        assertThat(policy.parkUntil(limit(NOW.plus(Duration.ofDays(2))), NOW)).isEqualTo(NOW.plus(Duration.ofHours(6)));
        assertThat(policy.parkUntil(limit(null), NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(policy.parkUntil(limit(NOW.minusSeconds(30)), NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void findsTheLimitAnywhereInTheCauseChain() {
        Parkable p = limit(null);
        RuntimeException inner = new LimitException(p);
        assertThat(JobPerformer.parkable(new RuntimeException("wrapped", inner))).isSameAs(inner);
        assertThat(JobPerformer.parkable(new RuntimeException("plain"))).isNull();
    }

    private static final class LimitException extends RuntimeException implements Parkable {
        private final Parkable p;
        LimitException(Parkable p) { this.p = p; }
        public Instant retryAt() { return p.retryAt(); }
        public String source() { return p.source(); }
    }
}
