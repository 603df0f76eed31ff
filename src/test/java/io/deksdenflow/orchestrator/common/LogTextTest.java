package io.deksdenflow.orchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void controlCharactersNewlinesAndEscapesAreEncoded() {
        assertThat(LogText.escape("ok\nFORGED\r\u001b[31mred\ttab\\ \u0000\u007f\u0085\u2028"))
                .isEqualTo("ok\\nFORGED\\r\\u001b[31mred\\ttab\\\\ \\u0000\\u007f\\u0085\\u2028");
        assertThat(LogText.escape("plain text, ünïcode")).isEqualTo("plain text, ünïcode");
        assertThat(LogText.escape(null)).isEqualTo("null");
    }
}
