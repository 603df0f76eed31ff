package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/** One engine invocation (planning, exec or QA) of a step. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunView(long id, Long stepRunId, long protocolRunId, String jobId, String phase, String engine,
                      String model, String startedAt, String finishedAt, Integer exitCode, long tokensIn,
                      long tokensOut, long tokensCached, boolean tokensEstimated, Double costUsd,
                      String costSource, @JsonSerialize(using = HidePaths.class) String error, String errorClass) {}
