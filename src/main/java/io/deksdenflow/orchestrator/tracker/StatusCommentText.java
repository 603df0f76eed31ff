package io.deksdenflow.orchestrator.tracker;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StepRun;
import java.util.List;
import java.util.Locale;

/**
 * The text of a protocol's status comment (Markdown): a hidden marker that finds the comment again after a
 * restart, the protocol's status, the plan's steps with each one's status and QA verdict, the CI state, the cost
 * so far and links to the console and the change request. Names from the agent or the issue are escaped, so a
 * step file name cannot inject links or mentions.
 */
final class StatusCommentText {
    private StatusCommentText() {}

    /** What the comment shows besides the protocol and its steps. */
    record Extras(String ci, String consoleUrl, String changeRequestUrl, String changeRequestShort, String waitingFor) {}

    /** The hidden marker of protocol {@code runId}'s comment. */
    static String marker(long runId) {
        return Forge.OWN_MARKER + "status protocol=" + runId + " -->";
    }

    static String render(ProtocolRun run, List<StepRun> steps, Extras x) {
        StringBuilder b = new StringBuilder(marker(run.id())).append('\n');
        b.append("### DeksdenFlow · `").append(code(run.protocolName())).append("` · **")
                .append(run.status().api()).append("**\n\n");
        if (x.waitingFor() != null) b.append("Waiting for ").append(x.waitingFor()).append(" before it starts.\n\n");
        if (run.lastError() != null && !run.lastError().isBlank()) {
            b.append("> ").append(plain(firstLine(run.lastError()), 300)).append("\n\n");
        }
        if (steps.isEmpty()) {
            b.append("No plan yet.\n\n");
        } else {
            b.append("| # | step | status | QA |\n|---|---|---|---|\n");
            for (StepRun s : steps) {
                b.append("| ").append(s.stepIndex() + 1).append(" | ").append(plain(s.stepName(), 80)).append(" | ")
                        .append(s.status().api()).append(" | ").append(s.qaVerdict() == null ? "" : plain(s.qaVerdict(), 20))
                        .append(" |\n");
            }
            b.append('\n');
        }
        if (x.ci() != null) b.append("CI: ").append(plain(x.ci(), 200)).append("  \n");
        b.append("Cost so far: ").append(String.format(Locale.ROOT, "%,d", run.tokensUsed())).append(" tokens");
        if (run.costUsd() != null) b.append(String.format(Locale.ROOT, ", $%.2f", run.costUsd()));
        b.append("\n\n");
        StringBuilder links = new StringBuilder();
        if (x.consoleUrl() != null) links.append("[Console](").append(x.consoleUrl()).append(')');
        if (x.changeRequestUrl() != null) {
            if (!links.isEmpty()) links.append(" · ");
            links.append('[').append(x.changeRequestShort()).append("](").append(x.changeRequestUrl()).append(')');
        }
        if (!links.isEmpty()) b.append(links).append("\n\n");
        b.append("<sub>Kept current by DeksdenFlow (").append(Clock.iso(Clock.now())).append("). People with write access")
                .append(" steer it with `/deksdenflow start|pause|resume|cancel|retry|approve|approve_plan|run_next_step|open_pr|status`,"
                        + " `/deksdenflow reject_plan <feedback>` and `/deksdenflow answer <text>`.</sub>\n");
        return b.toString();
    }

    /** Text safe in a table cell: no markup, mentions or links, one line, bounded. */
    static String plain(String s, int max) {
        if (s == null) return "";
        String t = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        if (t.length() > max) t = t.substring(0, max) + "…";
        StringBuilder out = new StringBuilder();
        for (char c : t.toCharArray()) {
            if ("\\`*_{}[]()<>#+!|@~".indexOf(c) >= 0) out.append('\\');
            out.append(c);
        }
        return out.toString();
    }

    private static String code(String s) {
        return s == null ? "" : s.replace("`", "'");
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("");
    }
}
