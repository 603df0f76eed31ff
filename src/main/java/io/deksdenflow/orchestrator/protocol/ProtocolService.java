package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.engine.EngineRegistry;
import io.deksdenflow.orchestrator.common.Branches;
import io.deksdenflow.orchestrator.dispatch.ActionResult;
import io.deksdenflow.orchestrator.common.PhaseEngines;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.project.Check;
import io.deksdenflow.orchestrator.project.Checks;
import io.deksdenflow.orchestrator.project.PlanApproval;
import io.deksdenflow.orchestrator.project.Project;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/** The protocol actions of the API: each validates its input and makes one {@link ProtocolLifecycle} call. */
@Service
public class ProtocolService {
    private final ProtocolLifecycle lifecycle;
    private final EngineRegistry engineRegistry;

    public ProtocolService(ProtocolLifecycle lifecycle, EngineRegistry engineRegistry) {
        this.engineRegistry = engineRegistry;
        this.lifecycle = lifecycle;
    }

    public record CreateProtocol(String protocolName, String description, String baseBranch, String engine,
                                 Boolean autoAdvance, List<Check.Spec> checks, Map<String, String> engines,
                                 String planApproval) {

        public CreateProtocol(String protocolName, String description, String baseBranch, String engine, Boolean autoAdvance,
                              List<Check.Spec> checks, Map<String, String> engines) {
            this(protocolName, description, baseBranch, engine, autoAdvance, checks, engines, null);
        }

        public CreateProtocol(String protocolName, String description, String baseBranch, String engine, Boolean autoAdvance,
                              List<Check.Spec> checks) {
            this(protocolName, description, baseBranch, engine, autoAdvance, checks, null);
        }

        public CreateProtocol(String protocolName, String description, String baseBranch, String engine, Boolean autoAdvance) {
            this(protocolName, description, baseBranch, engine, autoAdvance, null);
        }
    }

    public ProtocolRun create(Project project, CreateProtocol req) {
        Names.requireProtocolName("protocol_name", req.protocolName());
        String base = blankToNull(req.baseBranch());
        if (base != null) Branches.requireBranch("base_branch", base);
        if (req.description() != null && req.description().length() > 10_000) {
            throw new ValidationException("description", "description is longer than 10000 characters");
        }
        List<Check> checks = Checks.require("checks", req.checks());
        Map<String, String> engines = PhaseEngines.require("engines", req.engines(), engineRegistry.names());
        String planApproval = PlanApproval.require("plan_approval", req.planApproval());
        return lifecycle.created(new ProtocolStore.NewProtocol(project.id(), req.protocolName(), req.description(),
                base == null ? project.baseBranch() : base, blankToNull(req.engine()),
                Boolean.TRUE.equals(req.autoAdvance()), checks, engines, null, null, planApproval));
    }

    /** reject_plan: {@code feedback} (1 to 10000 characters) goes into the next planning prompt. */
    public ActionResult<ProtocolRun> rejectPlan(long protocolId, String feedback) {
        if (feedback == null || feedback.isBlank()) {
            throw new ValidationException("feedback", "reject_plan needs feedback: what the next plan should do differently");
        }
        if (feedback.length() > 10_000) throw new ValidationException("feedback", "feedback is longer than 10000 characters");
        return lifecycle.rejectPlan(protocolId, feedback.strip());
    }

    public ActionResult<ProtocolRun> act(long protocolId, ProtocolAction action) {
        return lifecycle.act(protocolId, action);
    }

    /**
     * raise_budget: the paused protocol's own limits become {@code maxTokens} / {@code maxCostUsd} (each
     * optional, at least one; above what it has already used), then it resumes where it stopped.
     */
    public ActionResult<ProtocolRun> raiseBudget(long protocolId, Long maxTokens, Double maxCostUsd) {
        if (maxTokens == null && maxCostUsd == null) {
            throw new ValidationException("max_tokens", "raise_budget needs max_tokens or max_cost_usd");
        }
        if (maxTokens != null && maxTokens <= 0) throw new ValidationException("max_tokens", "max_tokens must be a positive integer");
        if (maxCostUsd != null && (!Double.isFinite(maxCostUsd) || maxCostUsd <= 0 || maxCostUsd > 1e9)) {
            throw new ValidationException("max_cost_usd", "max_cost_usd must be a positive number of dollars");
        }
        return lifecycle.raiseBudget(protocolId, maxTokens, maxCostUsd);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
