package io.deksdenflow.orchestrator.execution;

import java.util.List;

/** A planning answer that passed {@link PlanValidator}: safe to write. */
public record PlanningAnswer(String planMd, String contextMd, String logMd, List<StepFile> stepFiles) {

    public PlanningAnswer {
        stepFiles = List.copyOf(stepFiles);
    }

    public record StepFile(String filename, String content) {}
}
