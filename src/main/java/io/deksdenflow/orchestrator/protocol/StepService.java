package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.dispatch.ActionResult;
import io.deksdenflow.orchestrator.common.ValidationException;
import org.springframework.stereotype.Service;

/** The step actions of the API (run, run_qa, approve) and manual step creation: each one {@link ProtocolLifecycle} call. */
@Service
public class StepService {
    private final ProtocolLifecycle lifecycle;
    private final QuestionLifecycle questions;

    public StepService(ProtocolLifecycle lifecycle, QuestionLifecycle questions) {
        this.lifecycle = lifecycle;
        this.questions = questions;
    }

    public record CreateStep(Integer stepIndex, String stepName, String stepType) {}

    public StepRun create(ProtocolRun p, CreateStep req) {
        if (req.stepIndex() == null || req.stepIndex() < 0 || req.stepIndex() > 999) {
            throw new ValidationException("step_index", "step_index must be an integer from 0 to 999");
        }
        Names.requireStepName("step_name", req.stepName());
        StepType type;
        try {
            type = req.stepType() == null ? StepType.fromFileName(req.stepName()) : StepType.parse(req.stepType());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("step_type", "step_type must be one of setup, work, qa");
        }
        return lifecycle.stepCreated(p.id(), req.stepIndex(), req.stepName(), type);
    }

    /** answer: {@code text} (1 to 10000 characters) answers the question the step's agent asked. */
    public ActionResult<StepRun> answer(long stepId, String text) {
        if (text == null || text.isBlank()) throw new ValidationException("text", "answer needs text");
        if (text.length() > 10_000) throw new ValidationException("text", "text is longer than 10000 characters");
        return questions.answered(stepId, text.strip());
    }

    public ActionResult<StepRun> act(long stepId, StepAction action) {
        return lifecycle.stepAct(stepId, action);
    }
}
