package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.protocol.CheckResult;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StepQuestion;
import io.deksdenflow.orchestrator.protocol.StepRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The three prompts, rendered from {@code prompts/<phase>.md} templates. Placeholders
 * {@code {{name}}} are replaced in one pass, so text from the repository or the task can never
 * inject another placeholder. {@link #templateHash} identifies the template in events.
 */
@Component
class Prompts {
    static final int MAX_FILE_CHARS = 100_000;
    static final int MAX_LAYOUT_ENTRIES = 200;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

    private final ProtocolFiles files;
    private final Map<String, String> templates = new TreeMap<>();
    private final Map<String, String> hashes = new TreeMap<>();

    public Prompts(ProtocolFiles files) {
        this.files = files;
        for (String phase : new String[] {"planning", "exec", "qa", CI_FIX, REVIEW_FIX, CONFLICT_FIX}) {
            String t = load("/prompts/" + phase + ".md");
            templates.put(phase, t);
            hashes.put(phase, sha256(t));
        }
    }

    /** SHA-256 (hex) of the template of {@code phase}: "planning", "exec" or "qa". */
    public String templateHash(String phase) {
        String h = hashes.get(phase);
        if (h == null) throw new IllegalArgumentException("unknown phase: " + phase);
        return h;
    }

    public Map<String, String> templateHashes() { return Map.copyOf(hashes); }

    public String planning(ProtocolRun run, Path worktree) {
        return planning(run, worktree, null);
    }

    /**
     * The planning prompt; after a {@code reject_plan}, {@code previousPlan} (the rejected plan.md) and
     * the protocol's pending feedback are in it.
     */
    public String planning(ProtocolRun run, Path worktree, String previousPlan) {
        return render("planning", Map.of(
                "protocol_name", run.protocolName(),
                "protocol_number", run.number(),
                "protocol_dir", ProtocolFiles.relativeDir(run.protocolName()),
                "base_branch", run.baseBranch(),
                "description", orNone(run.description()),
                "repo_layout", repoLayout(worktree),
                "feedback", feedbackSection(run.planFeedback(), previousPlan),
                "question_tag", AgentQuestions.TAG));
    }

    public String exec(ProtocolRun run, StepRun step, Path worktree) {
        Map<String, String> v = new TreeMap<>();
        v.put("protocol_name", run.protocolName());
        v.put("protocol_number", run.number());
        v.put("protocol_dir", ProtocolFiles.relativeDir(run.protocolName()));
        v.put("step_name", step.stepName());
        v.put("step_number", step.number());
        v.put("plan_md", file(worktree, run, ProtocolFiles.PLAN));
        v.put("context_md", file(worktree, run, ProtocolFiles.CONTEXT));
        v.put("step_md", file(worktree, run, step.stepName()));
        v.put("questions", questionsSection(step.questions()));
        v.put("question_tag", AgentQuestions.TAG);
        return render("exec", v);
    }

    /** The reviewer's feedback on the rejected plan, with that plan; "(none)" on a first plan. */
    static String feedbackSection(String feedback, String previousPlan) {
        if (feedback == null || feedback.isBlank()) return "(none: this is the first plan)";
        return "A person rejected your previous plan. Plan again and follow their feedback.\n\n### Their feedback\n"
                + cap(feedback) + "\n\n### The rejected plan.md\n"
                + (previousPlan == null || previousPlan.isBlank() ? "(not available)" : cap(previousPlan));
    }

    /** The step's earlier questions and their answers; "(none)" when its agent asked none. */
    static String questionsSection(List<StepQuestion> questions) {
        if (questions == null || questions.stream().noneMatch(q -> q.answer() != null)) return "(none)";
        StringBuilder sb = new StringBuilder("You asked before; a person answered. Follow the answers.\n");
        int n = 0;
        for (StepQuestion q : questions) {
            if (q.answer() == null) continue;
            sb.append("\n### Question ").append(++n).append("\n").append(cap(q.question()))
                    .append("\n\n### Answer ").append(n).append("\n").append(cap(q.answer())).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    public String qa(ProtocolRun run, StepRun step, Path worktree, GitState git) {
        return qa(run, step, worktree, git, null);
    }

    /** The QA prompt with the checks' results (null: none declared). */
    public String qa(ProtocolRun run, StepRun step, Path worktree, GitState git, List<CheckResult> checks) {
        Map<String, String> v = new TreeMap<>();
        v.put("checks", checksSection(checks));
        v.put("protocol_name", run.protocolName());
        v.put("protocol_number", run.number());
        v.put("step_name", step.stepName());
        v.put("step_number", step.number());
        v.put("exec_engine", step.engine() == null ? "(unknown engine)" : step.engine());
        v.put("exec_model", step.model() == null || step.model().isBlank() ? "the engine's default" : step.model());
        v.put("base_branch", run.baseBranch());
        v.put("plan_md", file(worktree, run, ProtocolFiles.PLAN));
        v.put("context_md", file(worktree, run, ProtocolFiles.CONTEXT));
        v.put("log_md", file(worktree, run, ProtocolFiles.LOG));
        v.put("step_md", file(worktree, run, step.stepName()));
        v.put("git_status", git.statusPorcelain().isBlank() ? "(clean)" : cap(git.statusPorcelain()));
        v.put("last_commit", git.lastCommit());
        v.put("diff_stat", cap(git.diffStat()));
        return render("qa", v);
    }

    static String checksSection(List<CheckResult> checks) {
        if (checks == null || checks.isEmpty()) return "(no checks declared)";
        StringBuilder sb = new StringBuilder();
        for (CheckResult c : checks) {
            sb.append("### ").append(c.name()).append(": ").append(c.passed() ? "PASSED" : "FAILED")
                    .append(" (").append(c.passed() ? "exit 0" : c.failure()).append(", ").append(c.durationMs())
                    .append(" ms)\n```\n").append(c.outputTail() == null || c.outputTail().isBlank() ? "(no output)" : cap(c.outputTail()))
                    .append("\n```\n");
        }
        return sb.toString().stripTrailing();
    }

    /** The template of a CI fix run ({@code prompts/ci-fix.md}); the run itself is an exec-phase engine call. */
    public static final String CI_FIX = "ci-fix";
    static final int MAX_DIFF_CHARS = 60_000;

    /**
     * The CI fix prompt: the step file, the failures (job, step, url, log excerpt) and the diff since the
     * step's start, with the commit tag the service will use.
     */
    public String ciFix(ProtocolRun run, StepRun step, Path worktree, String failures, String diff, int attempt,
                        int maxAttempts) {
        Map<String, String> v = fixRun(run, step, worktree, attempt, maxAttempts);
        v.put("protocol_number", run.number());
        v.put("protocol_dir", ProtocolFiles.relativeDir(run.protocolName()));
        v.put("step_number", step.number());
        v.put("failures", failures);
        v.put("diff", cutDiff(diff, "(no changes since the step started)"));
        return render(CI_FIX, v);
    }

    /** What every fix run's prompt names: the protocol, the step and its file, and the attempt of how many. */
    private Map<String, String> fixRun(ProtocolRun run, StepRun step, Path worktree, int attempt, int maxAttempts) {
        Map<String, String> v = new TreeMap<>();
        v.put("protocol_name", run.protocolName());
        v.put("step_name", step.stepName());
        v.put("step_md", file(worktree, run, step.stepName()));
        v.put("attempt", Integer.toString(attempt));
        v.put("max_attempts", Integer.toString(maxAttempts));
        return v;
    }

    private static String cutDiff(String diff, String whenEmpty) {
        return diff.isBlank() ? whenEmpty
                : diff.length() > MAX_DIFF_CHARS ? diff.substring(0, MAX_DIFF_CHARS) + "\n… (diff cut)" : diff;
    }

    /** The template of a review fix run ({@code prompts/review-fix.md}); an exec-phase engine call. */
    public static final String REVIEW_FIX = "review-fix";

    /**
     * The review fix prompt: the step file, the reviewers' comments (author, file, line, diff hunk, text) and the
     * diff of the branch against its base, with the commit subject the service will use.
     */
    public String reviewFix(ProtocolRun run, StepRun step, Path worktree, String comments, String diff, int attempt,
                            int maxAttempts) {
        Map<String, String> v = fixRun(run, step, worktree, attempt, maxAttempts);
        v.put("protocol_number", run.number());
        v.put("protocol_dir", ProtocolFiles.relativeDir(run.protocolName()));
        v.put("comments", comments);
        v.put("diff", cutDiff(diff, "(no changes against the base branch)"));
        return render(REVIEW_FIX, v);
    }

    public static final String CONFLICT_FIX = "conflict-fix";

    /**
     * The conflict fix prompt: the files with conflict markers, both sides' commit subjects (ours: the branch's,
     * theirs: the base's since the branch left it) and the step file.
     */
    public String conflictFix(ProtocolRun run, StepRun step, Path worktree, List<String> conflicted, List<String> ours,
                              List<String> theirs, int attempt, int maxAttempts) {
        Map<String, String> v = fixRun(run, step, worktree, attempt, maxAttempts);
        v.put("base_branch", run.baseBranch());
        v.put("files", bullets(conflicted, "`"));
        v.put("ours", bullets(ours, ""));
        v.put("theirs", bullets(theirs, ""));
        return render(CONFLICT_FIX, v);
    }

    private static String bullets(List<String> items, String quote) {
        if (items.isEmpty()) return "(none)";
        StringBuilder sb = new StringBuilder();
        for (String i : items) sb.append("- ").append(quote).append(i.replaceAll("[\\r\\n]+", " ")).append(quote).append('\n');
        return sb.toString().stripTrailing();
    }

    /** What QA sees of git: {@code git status --porcelain}, "sha subject", diff stat vs base. */
    public record GitState(String statusPorcelain, String lastCommit, String diffStat) {}

    String render(String phase, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(templates.get(phase));
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) throw new IllegalStateException("no value for {{" + m.group(1) + "}} in " + phase);
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Top-level entries of the worktree and one level below (directories end with "/"). */
    static String repoLayout(Path worktree) {
        StringBuilder sb = new StringBuilder();
        int[] count = {0};
        try (Stream<Path> top = Files.list(worktree)) {
            for (Path p : top.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.equals(".git") || name.equals(".protocols")) continue;
                if (count[0]++ >= MAX_LAYOUT_ENTRIES) { sb.append("…\n"); break; }
                boolean dir = Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                sb.append(name).append(dir ? "/" : "").append('\n');
                if (dir) {
                    try (Stream<Path> sub = Files.list(p)) {
                        for (Path c : sub.sorted().limit(20).toList()) {
                            sb.append("  ").append(c.getFileName()).append(Files.isDirectory(c) ? "/" : "").append('\n');
                        }
                    }
                }
            }
        } catch (IOException e) {
            return "(layout unavailable: " + e.getMessage() + ")";
        }
        return sb.isEmpty() ? "(empty repository)" : sb.toString().stripTrailing();
    }

    private String file(Path worktree, ProtocolRun run, String name) {
        String text = files.readFile(worktree, run.protocolName(), name);
        return text.isBlank() ? "(missing)" : cap(text);
    }

    private static String cap(String s) {
        return s.length() <= MAX_FILE_CHARS ? s : s.substring(0, MAX_FILE_CHARS) + "\n…(truncated)";
    }

    private static String orNone(String s) { return s == null || s.isBlank() ? "(no description given)" : s; }

    private static String load(String resource) {
        try (InputStream in = Prompts.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
