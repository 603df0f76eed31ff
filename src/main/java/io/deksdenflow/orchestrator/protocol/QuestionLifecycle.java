package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.dispatch.ActionResult;
import io.deksdenflow.orchestrator.queue.Job;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Questions from the agent: a step's agent asked instead of guessing (the step waits, blocked with
 * {@code blocked_reason: needs_input}, and so does its protocol), and a person's answer runs the step
 * again with the question and the answer in its prompt. At most DEKSDENFLOW_QUESTIONS_PER_STEP questions
 * per step: one more fails the step with the reason. Each public method is one transaction (see
 * {@link ProtocolLifecycle} for the shape every phase shares).
 */
@Component
public class QuestionLifecycle {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final ProtocolMoves moves;
    private final StepProgress progress;
    private final PeopleSettings people;

    QuestionLifecycle(Transactions tx, ProtocolStore protocols, StepStore steps, ProtocolMoves moves,
                      StepProgress progress, PeopleSettings people) {
        this.tx = tx;
        this.protocols = protocols;
        this.steps = steps;
        this.moves = moves;
        this.progress = progress;
        this.people = people;
    }

    /**
     * The running step's agent asked {@code question} (its work was discarded back to the step's start
     * commit): the question is kept on the step, the step is blocked with {@code needs_input}
     * ({@code agent_question}) and the protocol waits ({@code protocol_waiting}). Beyond
     * DEKSDENFLOW_QUESTIONS_PER_STEP the step fails with the reason instead ({@code step_failed}) and the
     * protocol blocks. Nothing when the step or the protocol stopped running meanwhile.
     */
    public void asked(long stepId, String question, Map<String, ?> metadata) {
        tx.inTx(() -> {
            StepRun s = steps.get(stepId);
            ProtocolRun p = protocols.get(s.protocolRunId());
            if (s.status() != StepStatus.RUNNING || p.status() != ProtocolStatus.RUNNING) return null;
            Map<String, Object> meta = new LinkedHashMap<>(metadata == null ? Map.of() : metadata);
            meta.put("question", question);
            meta.put("step", s.stepName());
            meta.put("questions_asked", s.questions().size() + 1);
            meta.put("questions_per_step", people.questionsPerStep());
            if (s.questions().size() >= people.questionsPerStep()) {
                String reason = "the agent asked more questions than DEKSDENFLOW_QUESTIONS_PER_STEP=" + people.questionsPerStep()
                        + " allows in step " + s.stepName() + "; its last question: " + question;
                moves.step(p, s, StepAction.FAIL, "step_failed", reason, reason, meta);
                moves.block(p, "protocol_blocked", reason, Map.of("step_run_id", s.id()));
                return null;
            }
            List<StepQuestion> questions = new ArrayList<>(s.questions());
            questions.add(new StepQuestion(question, null, Clock.now(), null));
            steps.setQuestions(s.id(), questions);
            meta.put("blocked_reason", StepRun.NEEDS_INPUT);
            moves.step(p, s, StepAction.ASK, "agent_question", "the agent of " + s.stepName() + " asks: " + question,
                    null, meta);
            steps.setBlockedReason(s.id(), StepRun.NEEDS_INPUT);
            if (ProtocolTransitions.allows(p.status(), ProtocolAction.BLOCK)) {
                protocols.setLastError(p.id(), "waiting for an answer to the question of step " + s.stepName());
                moves.protocol(p, ProtocolAction.BLOCK, "protocol_waiting",
                        "waiting for an answer to the question of step " + s.stepName(),
                        Map.of("step_run_id", s.id(), "blocked_reason", StepRun.NEEDS_INPUT));
            }
            return null;
        });
    }

    /**
     * answer: the step's open question gets {@code text} and the step runs again from its start commit
     * ({@code question_answered}; the protocol runs again too). A 409 when the step has no open question
     * or its protocol takes no step work.
     */
    public ActionResult<StepRun> answered(long stepId, String text) {
        return tx.inTx(() -> {
            StepRun s = steps.get(stepId);
            ProtocolRun p = protocols.get(s.protocolRunId());
            StepTransitions.next(s.status(), StepAction.ANSWER); // 409 naming the step's status and its actions
            if (s.openQuestion().isEmpty() || !StepTransitions.protocolAllowsStepWork(p.status())) {
                throw new ConflictException("step " + s.stepName() + " has no question waiting for an answer"
                        + (StepTransitions.protocolAllowsStepWork(p.status()) ? "" : " (protocol is " + p.status().api() + ")"),
                        Map.of("current_status", s.status().api(), "protocol_status", p.status().api(),
                                "allowed_actions", StepTransitions.allowedActions(s, p.status())));
            }
            List<StepQuestion> questions = new ArrayList<>(s.questions());
            StepQuestion open = questions.remove(questions.size() - 1);
            questions.add(open.answered(text, Clock.now()));
            steps.setQuestions(s.id(), questions);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("question", open.question());
            meta.put("answer", text);
            meta.put("step", s.stepName());
            Job job = progress.startStep(p, s, StepAction.ANSWER, "question_answered",
                    "answered the question of " + s.stepName() + "; the step runs again", meta);
            return new ActionResult<>("question answered; step execution enqueued", steps.get(stepId), job);
        });
    }
}
