package io.deksdenflow.orchestrator.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A question the step's agent asked instead of guessing, and the person's answer (null while it is
 * open). Kept on the step (its {@code questions} column, oldest first); times are epoch milliseconds.
 */
public record StepQuestion(String question, String answer, long askedAt, Long answeredAt) {

    public boolean open() { return answer == null; }

    StepQuestion answered(String text, long at) {
        return new StepQuestion(question, text, askedAt, at);
    }

    Map<String, Object> row() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("question", question);
        m.put("answer", answer);
        m.put("asked_at", askedAt);
        m.put("answered_at", answeredAt);
        return m;
    }

    static StepQuestion fromRow(Map<String, Object> m) {
        Object answered = m.get("answered_at");
        return new StepQuestion(String.valueOf(m.get("question")), (String) m.get("answer"),
                ((Number) m.getOrDefault("asked_at", 0)).longValue(),
                answered == null ? null : ((Number) answered).longValue());
    }
}
