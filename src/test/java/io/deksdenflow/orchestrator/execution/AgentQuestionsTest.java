package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.protocol.StepQuestion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one form an agent asks in (a fenced deksdenflow-question block), and what the prompts show of it. */
class AgentQuestionsTest {

    @Test
    void aTaggedFencedBlockIsAQuestion() {
        assertThat(AgentQuestions.find("I stopped.\n\n```deksdenflow-question\nE-mail or user name?\n```\n"))
                .contains("E-mail or user name?");
        assertThat(AgentQuestions.find("~~~~ deksdenflow-question\nMulti\nline?\n~~~~")).contains("Multi\nline?");
        // the last block counts; control characters go
        assertThat(AgentQuestions.find("```deksdenflow-question\nfirst\n```\ntext\n```deksdenflow-question\nsec\u0007ond\n```"))
                .contains("second");
    }

    @Test
    void anythingElseIsNoQuestion() {
        assertThat(AgentQuestions.find(null)).isEmpty();
        assertThat(AgentQuestions.find("Done. No questions.")).isEmpty();
        assertThat(AgentQuestions.find("```\nplain code\n```")).isEmpty();
        assertThat(AgentQuestions.find("```deksdenflow-question\n   \n```")).isEmpty();
        assertThat(AgentQuestions.find("mentions deksdenflow-question inline only")).isEmpty();
        assertThat(AgentQuestions.find("```deksdenflow-question\nnever closed")).isEmpty();
    }

    @Test
    void aLongQuestionIsCut() {
        String q = AgentQuestions.find("```deksdenflow-question\n" + "x".repeat(10_000) + "\n```").orElseThrow();
        assertThat(q).hasSize(AgentQuestions.MAX_CHARS + 1).endsWith("…");
    }

    @Test
    void thePromptsShowAnsweredQuestionsAndTheFeedback() {
        assertThat(Prompts.questionsSection(List.of())).isEqualTo("(none)");
        assertThat(Prompts.questionsSection(List.of(new StepQuestion("open?", null, 1, null)))).isEqualTo("(none)");
        String s = Prompts.questionsSection(List.of(new StepQuestion("Colour?", "Blue", 1, 2L),
                new StepQuestion("Size?", "Large", 3, 4L)));
        assertThat(s).contains("### Question 1\nColour?", "### Answer 1\nBlue", "### Question 2\nSize?", "### Answer 2\nLarge");
        assertThat(Prompts.feedbackSection(null, "old")).startsWith("(none");
        assertThat(Prompts.feedbackSection("Fewer steps", "# Old plan")).contains("Fewer steps", "# Old plan");
    }
}
