package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerdictParserTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Verdict: PASS|pass",
            "Verdict: FAIL|fail",
            "**Verdict:** PASS|pass",
            "**Verdict**: pass|pass",
            "- Verdict: FAIL|fail",
            "- Verdict: PASS|pass",
            "* **Verdict:** Pass|pass",
            "## Verdict: FAIL|fail",
            "### **Verdict:** PASS|pass",
            "verdict: pass|pass",
            "VERDICT:PASS|pass",
            "Verdict: **FAIL**|fail",
            "> Verdict: PASS.|fail",
            "Verdict: PASSED|pass",
            "  Verdict : fail|fail",
            "Verdict: passable|fail",
            "The verdict: PASS would be premature|fail",
            "Verdict: maybe|fail",
            "|fail",
    })
    void table(String line, String expected) {
        assertThat(VerdictParser.parse("Some findings.\n\n" + (line == null ? "" : line) + "\n").verdict()).isEqualTo(expected);
    }

    @Test
    void aReportWithBothVerdictsIsAFail() {
        VerdictParser.QaVerdict v = VerdictParser.parse("Verdict: FAIL\nfixed after re-check\nVerdict: PASS\n");
        assertThat(v.passed()).isFalse();
        assertThat(v.reason()).isEqualTo("both PASS and FAIL verdicts in the report");
        assertThat(VerdictParser.parse("**Verdict:** PASS\nthen tests broke\n- Verdict: FAIL").passed()).isFalse();
        assertThat(VerdictParser.parse("Verdict: PASS\nstill\nVerdict: PASS\n").passed()).isTrue();
    }

    @Test
    void aVerdictInsideAFencedBlockOrAQuoteIsNotTheAgents() {
        assertThat(VerdictParser.parse("Verdict: FAIL\n\n```\nVerdict: PASS\n```\n").verdict()).isEqualTo("fail");
        assertThat(VerdictParser.parse("Verdict: FAIL\n\n```\nVerdict: PASS\n```\n").reason()).isEqualTo("verdict FAIL");
        assertThat(VerdictParser.parse("Findings.\n~~~text\nVerdict: PASS\n~~~\n").reason()).isEqualTo("no verdict");
        assertThat(VerdictParser.parse("Findings.\n````md\n```\nVerdict: PASS\n```\n````\n").reason()).isEqualTo("no verdict");
        assertThat(VerdictParser.parse("The plan says:\n> Verdict: PASS\n").reason()).isEqualTo("no verdict");
        assertThat(VerdictParser.parse("> quoted\n```\nVerdict: FAIL\n```\n**Verdict:** PASS\n").passed()).isTrue();
        // an unclosed fence hides the rest of the report
        assertThat(VerdictParser.parse("```\nVerdict: PASS\n").passed()).isFalse();
    }

    @Test
    void noVerdictIsAFailWithReason() {
        VerdictParser.QaVerdict v = VerdictParser.parse("Looks fine to me.");
        assertThat(v.passed()).isFalse();
        assertThat(v.reason()).isEqualTo("no verdict");
        assertThat(v.summary()).isEqualTo("Looks fine to me.");
        assertThat(VerdictParser.parse(null).reason()).isEqualTo("no verdict");
    }

    @Test
    void summaryIsTheReportBeforeTheVerdictCapped() {
        VerdictParser.QaVerdict v = VerdictParser.parse("## Findings\nAll good.\n\nVerdict: PASS\ntrailing");
        assertThat(v.summary()).isEqualTo("## Findings\nAll good.");
        assertThat(v.reason()).isEqualTo("verdict PASS");
        String longReport = "x".repeat(5000) + "\nVerdict: FAIL";
        assertThat(VerdictParser.parse(longReport).summary()).hasSize(VerdictParser.SUMMARY_MAX).endsWith("…");
    }
}
