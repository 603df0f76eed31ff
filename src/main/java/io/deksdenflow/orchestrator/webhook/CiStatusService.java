package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.CiStatus;
import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.Forges;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.CiResult;
import io.deksdenflow.orchestrator.protocol.CiLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.CiLoopStore;
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
 * Finds the protocol runs a (validated) CI status is about and hands it to {@link CiLifecycle#ciResult}
 * for each, in its own transaction; what it does to them is the lifecycle's. A transition the tables do
 * not allow is recorded as an event with {@code ignored: true} ({@link CiLifecycle#ciRefused}), never
 * thrown.
 */
@Component
public class CiStatusService {
    public static final String ACCEPTED = "accepted";
    public static final String IGNORED = "ignored";

    private final ProjectStore projects;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final CiLifecycle lifecycle;
    private final CiLoopStore ciLoop;
    private final Forges forges;

    public CiStatusService(ProjectStore projects, ProtocolStore protocols, StepStore steps, CiLifecycle lifecycle,
                           CiLoopStore ciLoop, Forges forges) {
        this.projects = projects;
        this.protocols = protocols;
        this.steps = steps;
        this.lifecycle = lifecycle;
        this.ciLoop = ciLoop;
        this.forges = forges;
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
                .filter(p -> WebhookAuthenticator.covers(scope, p))
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
        } else if (status.branch() == null && status.mergeRequestIid() == null && status.headSha() != null) {
            // a commit status that names no branch: the runs one of whose steps pushed that commit
            runs = steps.runsByCommit(candidates.keySet(), status.headSha()).stream().map(protocols::get).toList();
            if (runs.isEmpty()) {
                return ignored("no protocol run has commit " + status.headSha());
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
            // the branch the run matched (a commit status may name every branch containing the commit)
            CiResult result = result(status.onBranchOf(run.protocolName()));
            CiResult.Applied applied;
            try {
                applied = lifecycle.ciResult(run.id(), result);
            } catch (ConflictException e) {
                // illegal transition (409) or too many concurrent updates: record it, never fail the sender
                applied = lifecycle.ciRefused(run.id(), result, e.getMessage());
            }
            results.add(view(applied));
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


    static Map<String, Object> ignored(String reason) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", IGNORED);
        out.put("reason", reason);
        return out;
    }

    private static Map<String, Object> view(CiResult.Applied a) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("protocol_run_id", a.protocolRunId());
        r.put("step_run_id", a.stepRunId());
        r.put("action", a.action());
        r.put("protocol_status", a.protocolStatus());
        return r;
    }

    /**
     * The status as the lifecycle takes it: what it is, the forge token that explains a failure and the
     * forge's word for a change request (none for a provider that is no forge), its events' metadata.
     */
    CiResult result(CiStatus s) {
        Optional<Forge> forge = forges.find(s.provider());
        return new CiResult(s.status(), s.prState(), s.provider(), s.headSha(), s.runId(), s.conclusion(), s.title(),
                describe(s), forge.map(Forge::tokenSecret).orElse(null),
                forge.map(Forge::changeRequestNoun).orElse(null), rerunnable(s), metadata(s));
    }

    /** Results the forge can re-run the failed jobs of: a workflow run, a check run (a job), a pipeline or job. */
    private static boolean rerunnable(CiStatus s) {
        return List.of("workflow_run", "check_run", "pipeline", "job").contains(String.valueOf(s.eventKind()));
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
