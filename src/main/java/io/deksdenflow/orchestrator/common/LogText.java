package io.deksdenflow.orchestrator.common;

/**
 * Text from outside the service (an agent's stderr, an engine's error, a path an agent named) made
 * safe for the service log: control characters, CR/LF, ESC (ANSI sequences), DEL, C1 controls and
 * the Unicode line and paragraph separators are written as escapes ({@code \n}, {@code \r},
 * {@code \t}, {@code \u001b}), and a backslash as {@code \\}, so such text never starts a log line
 * of its own, forges one, or drives the terminal.
 */
public final class LogText {
    private LogText() {}

    public static String escape(Object value) {
        if (value == null) return "null";
        String s = String.valueOf(value);
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\\' -> "\\\\";
                default -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                        ? String.format("\\u%04x", (int) c) : null;
            };
            if (rep == null) {
                if (sb != null) sb.append(c);
                continue;
            }
            if (sb == null) sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            sb.append(rep);
        }
        return sb == null ? s : sb.toString();
    }
}
