package io.deksdenflow.orchestrator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** bench/queue-bench.sh adds its run to docs/benchmarks.md's queue section and keeps the earlier runs and the rest. */
class QueueBenchReportTest {
    static String section(String run) {
        return "# Queue benchmark\n\nintro\n\n" + QueueBench.RUNS + "\n\n## Run of " + run + "\n\n| table |\n";
    }

    @Test
    void aRunGoesAboveTheEarlierRunsAndTheOtherSectionsStay() {
        String doc = "# Start-up\n\nfigures\n\n" + section("monday") + "\n# API under load\n\nrows\n";

        String after = QueueBench.withRun(doc, section("tuesday").replace("intro", "new intro"));

        assertThat(after).startsWith("# Start-up\n\nfigures\n\n# Queue benchmark\n\nintro\n");
        assertThat(after.indexOf("## Run of tuesday")).isPositive().isLessThan(after.indexOf("## Run of monday"));
        assertThat(after).endsWith("\n# API under load\n\nrows\n").doesNotContain("new intro");
    }

    @Test
    void withoutTheSectionOrItsMarkerTheWholeSectionIsWritten() {
        String old = "# Start-up\n\nfigures\n\n# Queue benchmark\n\nold single run\n\n# API under load\n\nrows\n";

        String after = QueueBench.withRun(old, section("tuesday"));

        assertThat(after).contains("## Run of tuesday").doesNotContain("old single run")
                .startsWith("# Start-up").endsWith("\n# API under load\n\nrows\n");
        assertThat(QueueBench.withRun("", section("tuesday"))).isEqualTo(section("tuesday"));
    }
}
