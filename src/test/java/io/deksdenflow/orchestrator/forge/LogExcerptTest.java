package io.deksdenflow.orchestrator.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogExcerptTest {

    @Test
    void shortLogsAreKeptWholeButCleaned() {
        String out = LogExcerpt.of("2026-01-01T00:00:00.1234567Z \u001B[1;31mboom\u001B[0m\r\nok\n\n", List.of(), 200);
        assertThat(out).isEqualTo("boom\nok");
    }

    @Test
    void longLogsKeepTheFirstErrorsContextAndTheTailWithinTheBound() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            log.append(i == 500 ? "AssertionError: expected 2 but got 3" : "line " + i).append('\n');
        }
        String out = LogExcerpt.of(log.toString(), List.of(), 40);
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSizeLessThanOrEqualTo(40);
        assertThat(lines.get(0)).isEqualTo(LogExcerpt.GAP);
        assertThat(lines).contains("line 495", "AssertionError: expected 2 but got 3", "line 510", "line 999");
        assertThat(lines).doesNotContain("line 0", "line 300");
    }

    @Test
    void secretsAreRedacted() {
        String out = LogExcerpt.of("""
                using project-secret-value here
                token ghp_abcdefghijklmnopqrstuvwxyz0123456789 and glpat-abcdefghijklmnopqrst
                export AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP
                Authorization: Bearer abc.def.ghi
                password=hunter2 api_key: "k-123"
                cloning https://user:pa55@example.com/x.git
                """, List.of("project-secret-value"), 200);
        assertThat(out).doesNotContain("project-secret-value", "ghp_abc", "glpat-abc", "AKIAABCDEFGHIJKLMNOP",
                "abc.def.ghi", "hunter2", "k-123", "pa55");
        assertThat(out).contains("using *** here", "Authorization: Bearer ***", "password=***");
    }

    @Test
    void theBoundHoldsForOneLine() {
        assertThat(LogExcerpt.of("a\nb\nerror c\nd", List.of(), 1).lines().count()).isEqualTo(1);
        assertThat(LogExcerpt.of(null, List.of(), 5)).isEmpty();
    }
}
