package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.common.NotBefore;
import io.deksdenflow.orchestrator.forge.CommentEvent;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.ForgeException;
import io.deksdenflow.orchestrator.forge.ForgeHttp;
import io.deksdenflow.orchestrator.forge.ForgeRepo;
import io.deksdenflow.orchestrator.forge.ReviewComment;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.ReviewLifecycle;
import io.deksdenflow.orchestrator.protocol.ReviewStore;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * review_fix_job: once a review's debounce window is over, one fix turn answers what permitted reviewers asked of
 * the protocol's PR/MR and no turn answered yet ({@link Forge#reviewComments}). The step's exec engine, through
 * {@link EngineCalls} (sandboxed, budgeted, recorded), works in the worktree; the service commits
 * {@code fix(review): <summary> [protocol-NNNN]}, runs the QA gate ({@link QaGate}: checks + QA agent) and pushes
 * only a fix that passes it, then answers with one summary comment on the PR/MR. The same comment set never starts a
 * second turn (its fingerprint is claimed); after DEKSDENFLOW_REVIEW_FIX_ATTEMPTS turns the PR/MR is labelled
 * {@value #NEEDS_HUMAN}.
 */
@Component
class ReviewFixHandler implements JobHandler<ProtocolRun> {
    static final String NEEDS_HUMAN = "deksdenflow:needs-human";
    /** How long a turn waits while another job works in the worktree. */
    private static final long BUSY_WAIT_MS = 15_000;
    /** A turn still "running" after this long died with its worker. */
    private static final long TURN_LOST_AFTER_MS = 2 * 3600_000L;

    private final JobScope scope;
    private final Workspace workspace;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final ReviewStore reviews;
    private final ReviewLifecycle lifecycle;
    private final Prompts prompts;
    private final EngineCalls engineCalls;
    private final QaGate gate;
    private final PullRequests pullRequests;

    ReviewFixHandler(JobScope scope, Workspace workspace, ProtocolStore protocols, StepStore steps, ReviewStore reviews,
                     ReviewLifecycle lifecycle, Prompts prompts, EngineCalls engineCalls, QaGate gate,
                     PullRequests pullRequests) {
        this.scope = scope;
        this.workspace = workspace;
        this.protocols = protocols;
        this.steps = steps;
        this.reviews = reviews;
        this.lifecycle = lifecycle;
        this.prompts = prompts;
        this.engineCalls = engineCalls;
        this.gate = gate;
        this.pullRequests = pullRequests;
    }

    @Override
    public JobType type() {
        return JobType.REVIEW_FIX_JOB;
    }

    /** Review comments wait for a turn and the protocol is not cancelled or failed. */
    @Override
    public Precondition<ProtocolRun> precondition(Job job) {
        return scope.protocol(job, run -> run.status() != ProtocolStatus.CANCELLED && run.status() != ProtocolStatus.FAILED
                        && reviews.findWait(run.id()).isPresent(),
                run -> reviews.findWait(run.id()).isEmpty() ? "no review comments wait for a turn" : "protocol is " + run.status().api());
    }

    @Override
    public RetryPolicy retryPolicy(RetryPolicy defaults) {
        return JobRetries.forgeCall(defaults);
    }

    @Override
    public void handle(JobContext ctx, ProtocolRun run) throws ForgeException {
        ReviewStore.Wait wait = reviews.findWait(run.id()).orElseThrow();
        long now = Clock.now();
        if (now < wait.dueAt()) throw new NotBefore(Instant.ofEpochMilli(wait.dueAt()), "review debounce window open");
        if (steps.allOf(run.id()).stream().anyMatch(s -> s.status() == StepStatus.RUNNING)
                || reviews.fixes(run.id()).stream().anyMatch(f -> ReviewStore.RUNNING.equals(f.status())
                        && f.createdAt() > now - TURN_LOST_AFTER_MS)) {
            throw new NotBefore(Instant.ofEpochMilli(now + BUSY_WAIT_MS), "another job works in the worktree");
        }
        Project project = scope.project(run.projectId());
        Forge forge = pullRequests.forgeOf(project);
        ForgeRepo repo = PullRequests.repo(project);
        long pr = wait.prNumber();
        List<ReviewComment> open = unanswered(forge, repo, run.id(), pr);
        // the window is this job's from here (a comment that moved it meanwhile gets the next window's job)
        lifecycle.windowTaken(run.id(), wait.dueAt());
        if (open.isEmpty()) {
            lifecycle.skipped(run.id(), "no review comment from a permitted reviewer is left unanswered");
            return;
        }
        List<ReviewStore.Fix> turns = reviews.fixes(run.id()).stream().filter(f -> !ReviewStore.EXHAUSTED.equals(f.status())).toList();
        if (turns.size() >= lifecycle.maxAttempts()) {
            if (lifecycle.exhausted(run.id(), NEEDS_HUMAN)) {
                try {
                    forge.addLabel(repo, pr, NEEDS_HUMAN);
                } catch (ForgeException e) {
                    throw ForgeHttp.jobError(e);
                }
            }
            return;
        }
        List<String> keys = open.stream().map(ReviewComment::key).toList();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("pr_number", pr);
        meta.put("authors", open.stream().map(ReviewComment::author).distinct().toList());
        Optional<ReviewStore.Fix> claimed = lifecycle.turnStarted(run.id(), pr, fingerprint(open), keys, meta);
        if (claimed.isEmpty()) {
            lifecycle.skipped(run.id(), "a turn answered these same comments already");
            return;
        }
        turn(ctx, project, run, forge, repo, claimed.get(), open, meta);
    }

    private void turn(JobContext ctx, Project project, ProtocolRun run, Forge forge, ForgeRepo repo, ReviewStore.Fix fix,
                      List<ReviewComment> open, Map<String, Object> meta) {
        StepRun step = steps.lastExecuted(run.id()).or(() -> steps.allOf(run.id()).stream().reduce((a, b) -> b))
                .orElseThrow(() -> new JobFailure("protocol " + run.protocolName() + " has no step to answer a review with"));
        GitClient git = scope.git(project);
        Path worktree = Worktrees.ensure(git, workspace, project, run);
        String before = git.headSha(worktree);
        String prompt = prompts.reviewFix(run, step, worktree, text(open), git.diffSince(worktree, null, run.baseBranch()),
                fix.attempt(), lifecycle.maxAttempts());
        EngineCalls.Outcome out;
        try {
            out = engineCalls.run(new EngineCalls.Call(project, run, step, "exec", worktree, prompt, false, null,
                    ctx.job().jobId()), ctx::onCancel);
        } catch (RuntimeException e) {
            // the turn is spent (its comments are not tried again by a retry); people see why
            lifecycle.failed(fix, "the engine run failed: " + e.getMessage(), meta);
            return;
        }
        if (ctx.cancelled()) {
            lifecycle.failed(fix, "cancelled", meta);
            return;
        }
        String summary = summary(out.result().text());
        meta.put("engine", out.engine());
        meta.put("model", out.model());
        meta.put("run_id", out.runId());
        meta.put("tokens", out.result().tokensTotal());
        git.commitAll(worktree, "fix(review): " + summary + " [protocol-" + run.number() + "]");
        String sha = git.headSha(worktree);
        if (sha.equals(before)) {
            lifecycle.failed(fix, "the fix changed nothing", meta);
            reply(forge, repo, fix, "Review fix turn " + fix.attempt() + " changed nothing: " + summary, open);
            return;
        }
        QaGate.Result qa = gate.run(ctx, project, run, step, git, worktree);
        if (qa == null) {
            git.resetHard(worktree, before);
            lifecycle.failed(fix, "cancelled", meta);
            return;
        }
        meta.put("qa_verdict", qa.verdict().verdict());
        meta.put("qa_verdict_source", qa.source());
        if (!qa.verdict().passed()) {
            git.resetHard(worktree, before); // nothing unchecked reaches the branch
            String why = "the QA gate failed the fix: " + qa.verdict().reason();
            lifecycle.failed(fix, why, meta);
            reply(forge, repo, fix, "Review fix turn " + fix.attempt() + " was not pushed — " + why, open);
            return;
        }
        scope.push(git, worktree, run);
        meta.put("sha", sha);
        lifecycle.pushed(fix, sha, summary, meta);
        reply(forge, repo, fix, "Review fix turn " + fix.attempt() + " pushed `" + sha.substring(0, 12) + "`: " + summary, open);
    }

    /** The comments of permitted reviewers that no turn answered, the service's own left out. */
    private List<ReviewComment> unanswered(Forge forge, ForgeRepo repo, long runId, long pr) throws ForgeException {
        Set<String> answered = new HashSet<>();
        for (ReviewStore.Fix f : reviews.fixes(runId)) answered.addAll(f.comments());
        Map<String, Boolean> permitted = new HashMap<>();
        List<ReviewComment> out = new ArrayList<>();
        List<ReviewComment> all;
        try {
            all = forge.reviewComments(repo, pr);
        } catch (ForgeException e) {
            throw ForgeHttp.jobError(e);
        }
        for (ReviewComment c : all) {
            if (answered.contains(c.key()) || c.author() == null || c.body().contains(Forge.OWN_MARKER)) continue;
            boolean ok = permitted.computeIfAbsent(c.author(), a -> canWrite(forge, repo, pr, c));
            if (ok) out.add(c);
        }
        return out;
    }

    private static boolean canWrite(Forge forge, ForgeRepo repo, long pr, ReviewComment c) {
        try {
            return forge.canWrite(repo, new CommentEvent(forge.id(), Forge.CommentOn.CHANGE_REQUEST, pr, c.id(), c.author(),
                    c.authorId(), null, false, c.body(), null, List.of(), true));
        } catch (ForgeException e) {
            throw ForgeHttp.jobError(e);
        }
    }

    private static void reply(Forge forge, ForgeRepo repo, ReviewStore.Fix fix, String text, List<ReviewComment> open) {
        StringBuilder b = new StringBuilder(Forge.OWN_MARKER + "review-fix " + fix.id() + " -->\n").append(text).append("\n\nAnswered:\n");
        for (ReviewComment c : open) {
            b.append("- @").append(c.author()).append(c.path() == null ? " (review)" : " on `" + c.path() + (c.line() == null ? "" : ":" + c.line()) + "`")
                    .append(": ").append(oneLine(c.body(), 80)).append('\n');
        }
        try {
            forge.postComment(repo, Forge.CommentOn.CHANGE_REQUEST, fix.prNumber(), b.toString());
        } catch (ForgeException e) {
            // the fix is pushed and recorded; the reply is a courtesy
        }
    }

    /** The comments as the prompt shows them. */
    static String text(List<ReviewComment> comments) {
        StringBuilder sb = new StringBuilder();
        int i = 1;
        for (ReviewComment c : comments) {
            sb.append("### ").append(i++).append(". ").append(c.author());
            if (c.path() != null) sb.append(" on `").append(c.path()).append(c.line() == null ? "" : ":" + c.line()).append('`');
            else sb.append(" (review summary)");
            sb.append('\n');
            if (c.diffHunk() != null && !c.diffHunk().isBlank()) sb.append("```diff\n").append(c.diffHunk()).append("\n```\n");
            sb.append("> ").append(c.body().replace("\n", "\n> ")).append("\n\n");
        }
        return sb.toString().stripTrailing();
    }

    /** SHA-256 over the comment set (keys and texts, in order): what a turn claims. */
    static String fingerprint(List<ReviewComment> comments) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            comments.stream().sorted((a, b) -> a.key().compareTo(b.key())).forEach(c -> {
                md.update(c.key().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(c.body().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            });
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first line of the agent's answer as a commit subject: one short line. */
    static String summary(String answer) {
        String line = answer == null ? "" : answer.strip().lines().findFirst().orElse("");
        line = oneLine(line.replaceAll("^[#>*\\-\\s]+", ""), 60);
        return line.isBlank() ? "address review comments" : line;
    }

    private static String oneLine(String s, int max) {
        String t = s.replaceAll("[\\r\\n\\t]+", " ").replaceAll("[^\\p{Print}]", "").strip();
        return t.length() > max ? t.substring(0, max) : t;
    }
}
