package io.deksdenflow.orchestrator.execution;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the verdict of a QA report. Accepts markdown decorations ({@code **Verdict:** PASS},
 * {@code - Verdict: FAIL}, {@code ## Verdict: pass}, {@code Verdict: **PASS**}). Only the report's
 * own text counts: a verdict inside a fenced code block ({@code ```} or {@code ~~~}) or a quoted
 * line ({@code > ...}) is something the agent quoted, not its verdict. A report carrying both PASS
 * and FAIL is a FAIL; no verdict is a FAIL — QA never passes without one.
 */
final class VerdictParser {
    public static final int SUMMARY_MAX = 2000;
    private static final Pattern LINE = Pattern.compile(
            "^[ \\t]*(?:[-*+][ \\t]+)?(?:#{1,6}[ \\t]*)?[*_`]*[ \\t]*verdict[ \\t]*[*_`]*[ \\t]*:[ \\t]*[*_`]*[ \\t]*(pass|fail)(?:ed)?\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern QUOTE = Pattern.compile("^ {0,3}>");

    private VerdictParser() {}

    public static QaVerdict parse(String report) {
        String text = report == null ? "" : report;
        int lastStart = -1;
        int firstFail = -1;
        boolean sawPass = false;
        String fence = null;
        int offset = 0;
        for (String line : text.split("\n", -1)) {
            int start = offset;
            offset += line.length() + 1;
            Matcher f = FENCE.matcher(line);
            if (fence == null && f.find()) {
                fence = f.group(1);
                continue;
            }
            if (fence != null) {
                if (f.find() && f.group(1).charAt(0) == fence.charAt(0) && f.group(1).length() >= fence.length()
                        && line.strip().length() == f.group(1).length()) {
                    fence = null;
                }
                continue;
            }
            if (QUOTE.matcher(line).find()) continue;
            Matcher m = LINE.matcher(line);
            if (!m.find()) continue;
            lastStart = start;
            if (m.group(1).toLowerCase(Locale.ROOT).equals("pass")) {
                sawPass = true;
            } else if (firstFail < 0) {
                firstFail = start;
            }
        }
        if (lastStart < 0) return new QaVerdict(false, "no verdict", summary(text));
        if (firstFail >= 0 && sawPass) {
            return new QaVerdict(false, "both PASS and FAIL verdicts in the report", summary(text.substring(0, firstFail)));
        }
        boolean pass = firstFail < 0;
        return new QaVerdict(pass, pass ? "verdict PASS" : "verdict FAIL", summary(text.substring(0, lastStart)));
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
