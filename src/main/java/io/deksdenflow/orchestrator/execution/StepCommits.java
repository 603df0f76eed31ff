package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StepRun;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commit message of a step's work: {@code type(scope): subject [protocol-NNNN/NN]}, the
 * conventional subject taken from the step file (its first line of that shape, heading marks
 * removed), else {@code feat(<protocol>): <step title>} from the file's first heading or its name.
 */
final class StepCommits {
    private static final Pattern CONVENTIONAL = Pattern.compile(
            "^[#\\s>*-]*((?:feat|fix|docs|style|refactor|perf|test|build|ci|chore|revert)(?:\\([^)\\n]{1,60}\\))?!?: \\S.{0,150})$",
            Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+)$", Pattern.MULTILINE);

    private StepCommits() {}

    static String tag(ProtocolRun run, StepRun step) {
        return "[protocol-" + run.number() + "/" + step.number() + "]";
    }

    static String message(ProtocolRun run, StepRun step, String stepFile) {
        String text = stepFile == null ? "" : stepFile;
        Matcher m = CONVENTIONAL.matcher(text);
        if (m.find()) return clean(m.group(1)) + " " + tag(run, step);
        Matcher h = HEADING.matcher(text);
        String title = h.find() ? clean(h.group(1)).replaceFirst("^\\d{1,3}[.:)]?\\s+", "")
                : step.stem().replaceFirst("^\\d+-", "").replace('-', ' ');
        if (!title.isEmpty()) title = title.substring(0, 1).toLowerCase(Locale.ROOT) + title.substring(1);
        return "feat(" + run.protocolName() + "): " + title + " " + tag(run, step);
    }

    private static String clean(String s) {
        String t = s.replaceAll("[*`]", "").strip();
        return t.length() > 150 ? t.substring(0, 150) : t;
    }
}
