package io.deksdenflow.orchestrator.execution;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one documented way for an agent of any engine to ask instead of guessing: a fenced block tagged
 * {@value #TAG} in its final message (the answer text every engine returns, read as the engine's
 * untrusted answer: codex's last-message file through {@code UntrustedFiles}, claude's result, a
 * command's standard output):
 * <pre>
 * ```deksdenflow-question
 * Should the login accept e-mail addresses or user names?
 * ```
 * </pre>
 * The last such block counts; an empty one is no question. The question is cut at
 * {@value #MAX_CHARS} characters and control characters other than newlines and tabs are dropped.
 */
final class AgentQuestions {
    static final String TAG = "deksdenflow-question";
    static final int MAX_CHARS = 4_000;
    private static final Pattern BLOCK = Pattern.compile(
            "(?m)^[ \\t]*(`{3,}|~{3,})[ \\t]*" + Pattern.quote(TAG) + "[ \\t]*\\r?\\n(.*?)^[ \\t]*\\1[ \\t]*$",
            Pattern.DOTALL);

    private AgentQuestions() {}

    /** The question of the agent's final message, if it asked one. */
    static Optional<String> find(String finalMessage) {
        if (finalMessage == null || !finalMessage.contains(TAG)) return Optional.empty();
        Matcher m = BLOCK.matcher(finalMessage);
        String last = null;
        while (m.find()) last = m.group(2);
        if (last == null) return Optional.empty();
        String q = last.replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "").strip();
        if (q.isEmpty()) return Optional.empty();
        return Optional.of(q.length() > MAX_CHARS ? q.substring(0, MAX_CHARS) + "…" : q);
    }
}
