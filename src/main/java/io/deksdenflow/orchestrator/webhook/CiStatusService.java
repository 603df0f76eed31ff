package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolAction;
import io.deksdenflow.orchestrator.protocol.ProtocolDriver;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolTransitions;
import io.deksdenflow.orchestrator.protocol.StateChanges;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepTransitions;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.webhook.CiLoopStore;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Decides what a (validated) CI status does: which protocol runs it is about, which step, and which
 * transitions and events follow. Every run is handled in its own transaction; a transition the
 * tables do not allow is recorded as an event with {@code ignored: true}, never thrown.
 */
@Component
public class CiStatusService {
    public static final String ACCEPTED = "accepted";
    public static final String IGNORED = "ignored";

    private final ProjectStore projects;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final StateChanges changes;
    private final ProtocolDriver driver;
    private final EventRecorder events;
    private final JobEnqueuer jobs;
    private final Transactions tx;
    private final Settings settings;
    private final CiLoopStore ciLoop;

    public CiStatusService(ProjectStore projects, ProtocolStore protocols, StepStore steps, StateChanges changes,
                           ProtocolDriver driver, EventRecorder events, JobEnqueuer jobs, Transactions tx,
                           Settings settings, CiLoopStore ciLoop) {
        this.projects = projects;
        this.protocols = protocols;
        this.steps = steps;
        this.changes = changes;
        this.driver = driver;
        this.events = events;
        this.jobs = jobs;
        this.tx = tx;
        this.settings = settings;
        this.ciLoop = ciLoop;
    }

    /**
     * Applies {@code status} to the runs it names.
     *
     * @param status    a status that passed {@link CiStatus#validated}
     * @param scope     ids of the projects the sender may affect; null (a route that authenticated on its
     *                  own, e.g. with a shared Jenkins token) means every project without its own
     *                  {@code webhook_token}
     * @param requested a run the (unsigned) URL of a signed delivery names: honoured only when the
     *                  status's repository and branch (or commit) agree with it; null when none
     * @return {@code {"status": "accepted", "results": [...]}} or {@code {"status": "ignored", "reason": ...}}
     */
    public Map<String, Object> apply(CiStatus status, Set<Long> scope, Long requested) {
        Map<Long, Project> candidates = projects.all().stream()
                .filter(p -> scope == null ? blank(p.secret(WebhookAuthenticator.PROJECT_SECRET)) : scope.contains(p.id()))
                .collect(Collectors.toMap(Project::id, Function.identity()));
        List<ProtocolRun> runs;
        if (requested != null) {
            Optional<ProtocolRun> run = protocols.find(requested).filter(r -> candidates.containsKey(r.projectId()));
            if (run.isEmpty()) {
                return ignored("unknown protocol_run_id " + requested);
            }
            String disagreement = disagreement(run.get(), candidates.get(run.get().projectId()), status);
            if (disagreement != null) {
                return ignored("protocol_run_id " + requested + " does not agree with the delivery: " + disagreement);
            }
            runs = List.of(run.get());
        } else if (status.protocolRunId() != null) {
            runs = protocols.find(status.protocolRunId()).filter(r -> candidates.containsKey(r.projectId()))
                    .stream().toList();
            if (runs.isEmpty()) {
                return ignored("unknown protocol_run_id " + status.protocolRunId());
            }
        } else if (status.branch() == null && status.mergeRequestIid() != null) {
            // a job/pipeline of refs/merge-requests/<iid>/head without the MR's block: the MR the service opened
            runs = ciLoop.runsByPrNumber(candidates.keySet(), status.mergeRequestIid()).stream()
                    .map(protocols::get).toList();
            if (runs.isEmpty()) {
                return ignored("no protocol run has merge request !" + status.mergeRequestIid());
            }
        } else {
            List<String> names = status.branchCandidates();
            runs = protocols.findByNames(candidates.keySet(), names);
            if (runs.isEmpty()) {
                return ignored("no protocol run matches branch '" + status.branchesText() + "'");
            }
        }
        List<ProtocolRun> matching = runs.stream()
                .filter(r -> Repositories.matches(candidates.get(r.projectId()).gitUrl(), status)).toList();
        if (matching.isEmpty()) {
            String repo = status.repository() != null ? status.repository()
                    : status.repositoryUrls().isEmpty() ? "?" : status.repositoryUrls().get(0);
            return ignored(status.protocolRunId() != null
                    ? "protocol run " + status.protocolRunId() + " belongs to another repository than " + repo
                    : "no protocol run of repository " + repo + " matches branch '" + status.branchesText() + "'");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (ProtocolRun run : matching) {
            try {
                results.add(tx.inTx(() -> applyTo(run.id(), status)));
            } catch (ConflictException e) {
                // illegal transition (409) or too many concurrent updates: record it, never fail the sender
                results.add(refused(run, status, e));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", ACCEPTED);
        out.put("results", results);
        return out;
    }

    /** Why the signed status does not name {@code run}, or null when it does (repository and branch, else commit). */
    private String disagreement(ProtocolRun run, Project project, CiStatus status) {
        if (!Repositories.matches(project.gitUrl(), status)) {
            return "the delivery is about another repository";
        }
        if (status.branch() != null) {
            return status.branchCandidates().contains(run.protocolName()) ? null
                    : "the delivery is about branch '" + status.branchesText() + "', the run's branch is '" + run.protocolName() + "'";
        }
        if (status.mergeRequestIid() != null) {
            return ciLoop.prNumber(run.id()).filter(status.mergeRequestIid()::equals).isPresent() ? null
                    : "the delivery is about merge request !" + status.mergeRequestIid() + ", not this run's";
        }
        if (status.headSha() != null && steps.byCommit(run.id(), status.headSha()).isPresent()) {
            return null;
        }
        return "the delivery names no branch and no commit of this run";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private Map<String, Object> refused(ProtocolRun run, CiStatus s, RuntimeException e) {
        Map<String, Object> meta = metadata(s);
        meta.put("ignored", true);
        meta.put("reason", e.getMessage());
        tx.inTx(() -> events.record(run.projectId(), run.id(), null, "ci_ignored",
                "CI " + describe(s) + " not applied: " + e.getMessage(), meta));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("protocol_run_id", run.id());
        r.put("step_run_id", null);
        r.put("action", "refused");
        r.put("protocol_status", protocols.get(run.id()).status().api());
        return r;
    }

    static Map<String, Object> ignored(String reason) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", IGNORED);
        out.put("reason", reason);
        return out;
    }

    private Map<String, Object> applyTo(long protocolRunId, CiStatus s) {
        ProtocolRun p = protocols.get(protocolRunId);
        Optional<StepRun> byCommit = steps.byCommit(p.id(), s.headSha());
        StepRun step = byCommit.or(() -> steps.lastExecuted(p.id())).orElse(null);
        Map<String, Object> meta = metadata(s);
        meta.put("step_selected_by", byCommit.isPresent() ? "head_sha" : step != null ? "last_executed" : "none");
        Long stepId = step == null ? null : step.id();
        Outcome outcome;
        if (p.status().terminal()) {
            meta.put("ignored", true);
            meta.put("protocol_status", p.status().api());
            events.record(p.projectId(), p.id(), stepId, "ci_ignored_terminal",
                    "CI " + describe(s) + " ignored: protocol is " + p.status().api(), meta);
            outcome = new Outcome("ignored_terminal", p.status().api());
        } else if (s.prState() != null) {
            outcome = pullRequest(p, stepId, s, meta);
        } else if (superseded(p, s)) {
            // a result for a commit that is no longer the branch's head: history, not a verdict
            meta.put("superseded", true);
            meta.put("branch_head", ciLoop.head(p.id()).orElse(null));
            events.record(p.projectId(), p.id(), stepId, "ci_superseded", "CI " + describe(s) + " "
                    + s.status() + " on " + shortSha(s.headSha()) + ", no longer the head of " + p.protocolName(), meta);
            outcome = new Outcome("superseded", p.status().api());
        } else if (s.isSuccess()) {
            outcome = success(p, step, s, meta);
        } else if (s.isFailure()) {
            outcome = failure(p, step, s, meta);
        } else if (s.isInconclusive()) {
            String type = switch (s.status()) {
                case CiStatus.CANCELLED -> "ci_cancelled";
                case CiStatus.SKIPPED -> "ci_skipped";
                default -> "ci_action_required";
            };
            String what = switch (s.status()) {
                case CiStatus.CANCELLED -> " cancelled";
                case CiStatus.SKIPPED -> " skipped";
                default -> " waits for approval (action required)";
            };
            events.record(p.projectId(), p.id(), stepId, type, "CI " + describe(s) + what, meta);
            outcome = new Outcome("recorded", p.status().api());
        } else {
            events.record(p.projectId(), p.id(), stepId, "ci_running", "CI " + describe(s) + " running", meta);
            outcome = new Outcome("recorded", p.status().api());
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("protocol_run_id", p.id());
        r.put("step_run_id", stepId);
        r.put("action", outcome.action());
        r.put("protocol_status", outcome.protocolStatus());
        return r;
    }

    private record Outcome(String action, String protocolStatus) {
    }

    private Outcome pullRequest(ProtocolRun p, Long stepId, CiStatus s, Map<String, Object> meta) {
        String what = ("gitlab".equals(s.provider()) ? "merge request" : "pull request")
                + (s.title() == null ? "" : " '" + s.title() + "'");
        if (s.isMerged()) {
            if (ProtocolTransitions.allows(p.status(), ProtocolAction.COMPLETE)) {
                ProtocolRun done = changes.protocol(p, ProtocolAction.COMPLETE, "pr_merged", what + " merged", meta);
                return new Outcome("completed", done.status().api());
            }
            meta.put("ignored", true);
            meta.put("protocol_status", p.status().api());
            events.record(p.projectId(), p.id(), stepId, "pr_merged",
                    what + " merged; protocol stays " + p.status().api(), meta);
            return new Outcome("recorded", p.status().api());
        }
        if (CiStatus.PR_UPDATED.equals(s.prState())) {
            // someone pushed to the branch: CI results for older commits are superseded from now on
            if (s.headSha() != null) ciLoop.setHead(p.id(), s.headSha());
            events.record(p.projectId(), p.id(), stepId, "pr_updated", what + " updated: head is now "
                    + shortSha(s.headSha()), meta);
            return new Outcome("recorded", p.status().api());
        }
        String type = CiStatus.PR_CLOSED.equals(s.prState()) ? "pr_closed" : "pr_opened";
        events.record(p.projectId(), p.id(), stepId, type, what + " " + s.prState(), meta);
        return new Outcome("recorded", p.status().api());
    }

    private Outcome success(ProtocolRun p, StepRun step, CiStatus s, Map<String, Object> meta) {
        meta.put("auto_qa", settings.isAutoQaOnCi());
        String message = "CI " + describe(s) + " passed";
        if (settings.isAutoQaOnCi() && step != null && StepTransitions.allows(step.status(), StepAction.CI_PASSED)
                && StepTransitions.protocolAllowsStepWork(p.status())) {
            StepRun moved = changes.step(p, step, StepAction.CI_PASSED, "ci_passed",
                    message + "; QA of " + step.stepName() + " queued", null, meta);
            jobs.enqueue(JobType.RUN_QUALITY_JOB, p.projectId(), p.id(), moved.id());
            return new Outcome("qa_enqueued", p.status().api());
        }
        events.record(p.projectId(), p.id(), step == null ? null : step.id(), "ci_passed", message, meta);
        return new Outcome("recorded", p.status().api());
    }

    /** True when the branch's head is known and the status is about another commit. */
    private boolean superseded(ProtocolRun p, CiStatus s) {
        if (s.headSha() == null || s.headSha().isBlank()) return false;
        Optional<String> head = ciLoop.head(p.id());
        return head.isPresent() && !head.get().equalsIgnoreCase(s.headSha().trim());
    }

    private Outcome failure(ProtocolRun p, StepRun step, CiStatus s, Map<String, Object> meta) {
        String message = "CI " + describe(s) + " failed" + (s.conclusion() == null ? "" : " (" + s.conclusion() + ")");
        if (triageable(p, step, s)) {
            return triage(p, step, s, meta, message);
        }
        if (step != null && StepTransitions.allows(step.status(), StepAction.BLOCK)) {
            changes.step(p, step, StepAction.BLOCK, "step_blocked", message, message, meta);
        }
        Map<String, Object> protocolMeta = new LinkedHashMap<>(meta);
        if (step != null) {
            protocolMeta.put("step_run_id", step.id());
        }
        if (ProtocolTransitions.allows(p.status(), ProtocolAction.BLOCK)) {
            ProtocolRun blocked = driver.block(p, "ci_failed", message, protocolMeta);
            return new Outcome("blocked", blocked.status().api());
        }
        protocolMeta.put("ignored", true);
        protocolMeta.put("protocol_status", p.status().api());
        events.record(p.projectId(), p.id(), step == null ? null : step.id(), "ci_failed",
                message + "; protocol stays " + p.status().api(), protocolMeta);
        return new Outcome("recorded", p.status().api());
    }

    /**
     * A failure the service can look into: a GitHub/GitLab result about a commit, for a step of a running
     * protocol where no step's agent is at work, on a project with that forge's token (GITHUB_TOKEN /
     * GITLAB_TOKEN).
     */
    private boolean triageable(ProtocolRun p, StepRun step, CiStatus s) {
        if (step == null || p.status() != ProtocolStatus.RUNNING || s.headSha() == null || s.headSha().isBlank()) {
            return false;
        }
        if (!StepTransitions.allows(step.status(), StepAction.BLOCK)) return false;
        // an agent must not fix in the worktree while another step's agent works there
        if (steps.allOf(p.id()).stream().anyMatch(x -> x.status() == io.deksdenflow.orchestrator.protocol.StepStatus.RUNNING)) {
            return false;
        }
        String token = switch (String.valueOf(s.provider())) {
            case GithubTranslator.PROVIDER -> "GITHUB_TOKEN";
            case GitlabTranslator.PROVIDER -> "GITLAB_TOKEN";
            default -> null;
        };
        if (token == null) return false;
        Project project = projects.get(p.projectId());
        return s.provider().equals(project.ciProvider()) && !blank(project.secret(token));
    }

    /**
     * Claims the failing head sha (one triage per sha and kind: a second delivery about the same commit
     * starts nothing) and enqueues a ci_triage_job; the job records {@code ci_failed} with the failures
     * and then fixes, re-runs or blocks.
     */
    private Outcome triage(ProtocolRun p, StepRun step, CiStatus s, Map<String, Object> meta, String message) {
        String sha = s.headSha().trim();
        Map<String, Object> ref = new LinkedHashMap<>(meta);
        put(ref, "run_id", s.runId());
        boolean rerun = settings.isCiRerunFailedFirst() && s.runId() != null && rerunnable(s)
                && !ciLoop.hasKind(step.id(), CiLoopStore.KIND_RERUN) && ciLoop.fixesStarted(step.id()) == 0;
        String kind = rerun ? CiLoopStore.KIND_RERUN : CiLoopStore.KIND_FIX;
        int attempt = rerun ? 0 : ciLoop.fixesStarted(step.id()) + 1;
        Optional<CiLoopStore.Fix> claimed = ciLoop.claim(p.id(), step.id(), sha, kind, attempt, ref);
        if (claimed.isEmpty()) {
            meta.put("already_handled", true);
            events.record(p.projectId(), p.id(), step.id(), "ci_failure_repeated",
                    message + "; the failure of " + shortSha(sha) + " is already being handled", meta);
            return new Outcome("recorded", p.status().api());
        }
        meta.put("triage", kind);
        meta.put("ci_fix_id", claimed.get().id());
        events.record(p.projectId(), p.id(), step.id(), "ci_triage_queued",
                message + "; fetching the failed jobs and their logs", meta);
        jobs.enqueue(JobType.CI_TRIAGE_JOB, p.projectId(), p.id(), step.id());
        return new Outcome("triage_queued", p.status().api());
    }

    /** Results the forge can re-run the failed jobs of: a workflow run, a check run (a job), a pipeline or job. */
    private static boolean rerunnable(CiStatus s) {
        return List.of("workflow_run", "check_run", "pipeline", "job").contains(String.valueOf(s.eventKind()));
    }

    private static String shortSha(String sha) {
        return sha == null ? "?" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static Map<String, Object> metadata(CiStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "provider", s.provider());
        put(m, "ci_status", s.status());
        put(m, "pr_state", s.prState());
        put(m, "event_kind", s.eventKind());
        put(m, "check_name", s.checkName());
        put(m, "conclusion", s.conclusion());
        put(m, "url", s.url());
        put(m, "branch", s.branch());
        put(m, "head_sha", s.headSha());
        put(m, "title", s.title());
        put(m, "summary", s.summary());
        if (s.mergeRequestIid() != null) m.put("merge_request_iid", s.mergeRequestIid());
        if (!s.branches().isEmpty()) m.put("branches", s.branches());
        return m;
    }

    private static void put(Map<String, Object> m, String key, String value) {
        if (value != null) {
            m.put(key, value.length() > 2000 ? value.substring(0, 2000) + "…" : value);
        }
    }

    private static String describe(CiStatus s) {
        String name = s.checkName() == null ? "" : " '" + s.checkName() + "'";
        return (s.provider() == null ? "" : s.provider()) + name;
    }
}
