package io.deksdenflow.orchestrator.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.deksdenflow.orchestrator.testsupport.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPricesTest {

    private static ModelPrices of(String setting) {
        TestSettings s = new TestSettings();
        s.setModelPrices(setting);
        return new ModelPrices(s.budget());
    }

    @Test
    void pricesInputCachedInputAndOutputPerMillionTokens() {
        ModelPrices p = of("{\"gpt-5\": {\"input\": 1.25, \"cached_input\": 0.125, \"output\": 10}}");
        ModelPrices.Cost c = p.cost("gpt-5", 1_000_000, 400_000, 100_000, null);
        // 600k uncached × 1.25 + 400k cached × 0.125 + 100k out × 10
        assertThat(c.usd()).isCloseTo(0.75 + 0.05 + 1.0, within(1e-12));
        assertThat(c.source()).isEqualTo("price_table");
        assertThat(p.estimate("gpt-5", 2_000_000)).isCloseTo(2.5, within(1e-12));
    }

    @Test
    void aReportedCostWinsAndAnUnknownModelCostsNothingFlagged() {
        ModelPrices p = of("{\"m\": {\"input\": 1, \"output\": 2}}");
        assertThat(p.cost("m", 10, 0, 10, 0.5)).isEqualTo(new ModelPrices.Cost(0.5, "reported"));
        assertThat(p.cost("other", 1_000_000, 0, 1_000_000, null)).isEqualTo(new ModelPrices.Cost(0.0, "unpriced"));
        assertThat(p.cost("", 1, 0, 1, null).source()).isEqualTo("unpriced");
        assertThat(p.estimate("other", 1_000_000)).isZero();
        // cached_input defaults to the input price
        assertThat(p.cost("m", 1_000_000, 1_000_000, 0, null).usd()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("prices.json");
        Files.writeString(f, "{\"claude-x\": {\"input\": 3, \"cached_input\": 0.3, \"output\": 15}}");
        assertThat(of(f.toString()).table()).containsKey("claude-x");
        assertThat(of("").table()).isEmpty();
    }

    @Test
    void aMalformedTableFailsStartUpNamingTheSetting() {
        assertThatThrownBy(() -> of("{\"m\": {\"input\": -1, \"output\": 1}}")).hasMessageContaining("DEKSDENFLOW_MODEL_PRICES")
                .hasMessageContaining("m.input");
        assertThatThrownBy(() -> of("{\"m\": {\"input\": 1}}")).hasMessageContaining("m.output");
        assertThatThrownBy(() -> of("{\"m\": {\"input\": 1, \"output\": 1, \"cache\": 1}}")).hasMessageContaining("m.cache");
        assertThatThrownBy(() -> of("{not json")).hasMessageContaining("DEKSDENFLOW_MODEL_PRICES");
        assertThatThrownBy(() -> of("/no/such/prices.json")).hasMessageContaining("cannot read");
    }

    @Test
    void monthStartIsTheFirstInstantOfTheMonthUtc() {
        long t = java.time.Instant.parse("2026-11-29T17:00:00Z").toEpochMilli();
        assertThat(ProjectCosts.monthStart(t)).isEqualTo(java.time.Instant.parse("2026-11-01T00:00:00Z").toEpochMilli());
    }
}
