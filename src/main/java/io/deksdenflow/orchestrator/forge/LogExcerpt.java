package io.deksdenflow.orchestrator.forge;

import io.deksdenflow.orchestrator.git.Redactor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The part of a CI job's log that matters, bounded: ANSI escapes and GitHub's per-line timestamps
 * stripped, secrets redacted (the project's secret values, tokens of well-known shapes, {@code
 * key=value} credentials, URL userinfo), then the lines around the first error markers and the tail,
 * at most {@code maxLines} lines with {@code …} where lines were left out. Pure; unit-tested.
 */
public final class LogExcerpt {
    static final String GAP = "…";
    static final String MASK = "***";
    /** Lines before and after an error marker. */
    static final int CONTEXT_BEFORE = 5;
    static final int CONTEXT_AFTER = 15;
    static final int MAX_LINE_CHARS = 500;

    private static final Pattern ANSI = Pattern.compile("\\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\\u0007\\u001B]*(?:\\u0007|\\u001B\\\\)|[@-Z\\\\-_])");
    private static final Pattern CONTROL = Pattern.compile("[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]");
    /** GitHub Actions prefixes every log line with an ISO timestamp. */
    private static final Pattern GH_TIMESTAMP = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z ");
    private static final Pattern ERROR_MARKER = Pattern.compile(
            "(?i)(##\\[error]|\\berror\\b|\\bfailed\\b|\\bfailure\\b|\\bexception\\b|traceback|\\bfatal\\b|\\bpanic\\b"
                    + "|assertionerror|\\bFAIL\\b|✗|\\bERR!)");
    private static final List<Pattern> SECRET_SHAPES = List.of(
            Pattern.compile("\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}"),
            Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{20,}"),
            Pattern.compile("\\bglpat-[A-Za-z0-9_\\-]{16,}"),
            Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b"),
            Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}"),
            Pattern.compile("\\bsk-[A-Za-z0-9_\\-]{20,}"),
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"));
    /** {@code password=…}, {@code token: …}, {@code Authorization: Bearer …}: the value goes. */
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)((?:pass(?:word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|authorization)"
                    + "[\"']?\\s*[:=]\\s*[\"']?(?:bearer\\s+|basic\\s+|token\\s+)?)[^\\s\"',;]+");

    private LogExcerpt() {}

    /**
     * @param log      the raw log (any size; null → empty)
     * @param secrets  values that must never appear (the project's secrets)
     * @param maxLines the most lines to keep (≥ 1)
     */
    public static String of(String log, Collection<String> secrets, int maxLines) {
        if (log == null || log.isEmpty()) return "";
        Redactor redactor = new Redactor(secrets);
        String[] raw = log.split("\\r?\\n|\\r", -1);
        List<String> lines = new ArrayList<>(raw.length);
        for (String line : raw) lines.add(clean(line, redactor));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) lines.remove(lines.size() - 1);
        int max = Math.max(1, maxLines);
        if (lines.size() <= max) return String.join("\n", lines);
        if (max < 3) return String.join("\n", lines.subList(lines.size() - max, lines.size())); // no room for gaps

        // half the budget for the first error markers and their context, the rest for the tail
        TreeSet<Integer> keep = new TreeSet<>();
        int markerBudget = max / 2;
        for (int i = 0; i < lines.size() && keep.size() < markerBudget; i++) {
            if (!ERROR_MARKER.matcher(lines.get(i)).find()) continue;
            for (int j = Math.max(0, i - CONTEXT_BEFORE); j <= Math.min(lines.size() - 1, i + CONTEXT_AFTER)
                    && keep.size() < markerBudget; j++) {
                keep.add(j);
            }
        }
        TreeSet<Integer> tail = new TreeSet<>();
        for (int i = lines.size() - 1; i >= 0 && keep.size() + tail.size() < max; i--) {
            if (!keep.contains(i)) tail.add(i);
        }
        keep.addAll(tail);
        // the gap markers count against the bound too: shorten the tail from its start, then the markers' end
        while (keep.size() + gaps(keep) > max && keep.size() > 1) {
            Integer drop = tail.pollFirst();
            keep.remove(drop != null ? drop : keep.last());
        }
        StringBuilder sb = new StringBuilder();
        int previous = -1;
        for (int i : keep) {
            if (i != previous + 1) sb.append(GAP).append('\n');
            sb.append(lines.get(i)).append('\n');
            previous = i;
        }
        return sb.substring(0, sb.length() - 1);
    }

    private static int gaps(TreeSet<Integer> keep) {
        int n = 0;
        int previous = -1;
        for (int i : keep) {
            if (i != previous + 1) n++;
            previous = i;
        }
        return n;
    }

    static String clean(String line, Redactor redactor) {
        String l = ANSI.matcher(line).replaceAll("");
        l = CONTROL.matcher(l).replaceAll("");
        l = GH_TIMESTAMP.matcher(l).replaceFirst("");
        l = redact(l, redactor);
        return l.length() > MAX_LINE_CHARS ? l.substring(0, MAX_LINE_CHARS) + GAP : l;
    }

    /** Secret values, token shapes, credentials in {@code key=value} form and URL userinfo → {@code ***}. */
    public static String redact(String text, Redactor redactor) {
        String l = redactor.redact(text);
        for (Pattern p : SECRET_SHAPES) l = p.matcher(l).replaceAll(MASK);
        return KEY_VALUE.matcher(l).replaceAll("$1" + MASK);
    }
}
