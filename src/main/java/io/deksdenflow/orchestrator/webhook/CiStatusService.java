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
import io.deksdenflow.orchestrator.protocol.ProtocolTransitions;
import io.deksdenflow.orchestrator.protocol.StateChanges;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepTransitions;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.store.ProjectStore;
import io.deksdenflow.orchestrator.store.ProtocolStore;
import io.deksdenflow.orchestrator.store.StepStore;
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

    public CiStatusService(ProjectStore projects, ProtocolStore protocols, StepStore steps, StateChanges changes,
                           ProtocolDriver driver, EventRecorder events, JobEnqueuer jobs, Transactions tx,
                           Settings settings) {
        this.projects = projects;
        this.protocols = protocols;
        this.steps = steps;
        this.changes = changes;
        this.driver = driver;
        this.events = events;
        this.jobs = jobs;
        this.tx = tx;
        this.settings = settings;
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
        } else {
            List<String> names = status.branchCandidates();
            runs = protocols.findByNames(candidates.keySet(), names);
            if (runs.isEmpty()) {
                return ignored("no protocol run matches branch '" + status.branch() + "'");
            }
        }
        List<ProtocolRun> matching = runs.stream()
                .filter(r -> Repositories.matches(candidates.get(r.projectId()).gitUrl(), status)).toList();
        if (matching.isEmpty()) {
            String repo = status.repository() != null ? status.repository()
                    : status.repositoryUrls().isEmpty() ? "?" : status.repositoryUrls().get(0);
            return ignored(status.protocolRunId() != null
                    ? "protocol run " + status.protocolRunId() + " belongs to another repository than " + repo
                    : "no protocol run of repository " + repo + " matches branch '" + status.branch() + "'");
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
                    : "the delivery is about branch '" + status.branch() + "', the run's branch is '" + run.protocolName() + "'";
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
        } else if (s.isSuccess()) {
            outcome = success(p, step, s, meta);
        } else if (s.isFailure()) {
            outcome = failure(p, step, s, meta);
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

    private Outcome failure(ProtocolRun p, StepRun step, CiStatus s, Map<String, Object> meta) {
        String message = "CI " + describe(s) + " failed" + (s.conclusion() == null ? "" : " (" + s.conclusion() + ")");
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
