package io.deksdenflow.orchestrator.execution;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the verdict of a QA report. Accepts markdown decorations ({@code **Verdict:** PASS},
 * {@code - Verdict: FAIL}, {@code ## Verdict: pass}, {@code Verdict: **PASS**}); the last verdict
 * line wins; no verdict is a FAIL — QA never passes without one.
 */
final class VerdictParser {
    public static final int SUMMARY_MAX = 2000;
    private static final Pattern LINE = Pattern.compile(
            "^[ \\t]*(?:[-*+>][ \\t]+)?(?:#{1,6}[ \\t]*)?[*_`]*[ \\t]*verdict[ \\t]*[*_`]*[ \\t]*:[ \\t]*[*_`]*[ \\t]*(pass|fail)(?:ed)?\\b",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    private VerdictParser() {}

    public static QaVerdict parse(String report) {
        String text = report == null ? "" : report;
        Matcher m = LINE.matcher(text);
        int start = -1;
        String word = null;
        while (m.find()) {
            start = m.start();
            word = m.group(1).toLowerCase(Locale.ROOT);
        }
        if (word == null) return new QaVerdict(false, "no verdict", summary(text));
        boolean pass = word.equals("pass");
        return new QaVerdict(pass, pass ? "verdict PASS" : "verdict FAIL", summary(text.substring(0, start)));
    }

    private static String summary(String before) {
        String s = before.strip();
        return s.length() <= SUMMARY_MAX ? s : s.substring(0, SUMMARY_MAX - 1).stripTrailing() + "…";
    }

    /** {@code passed} is true only for an explicit PASS; {@code summary} is the report before it. */
    public record QaVerdict(boolean passed, String reason, String summary) {
        /** "pass" or "fail", as stored in step_runs.qa_verdict. */
        public String verdict() { return passed ? "pass" : "fail"; }
    }
}
