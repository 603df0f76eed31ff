package io.deksdenflow.orchestrator.worker;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Route configuration {@code worker-errors}: a failed attempt is not redelivered in-process; the
 * failure is recorded as queue state by {@link JobFailures} (delayed retry per {@link RetryPolicy},
 * or dead letter) and reported to the JobOutcomeListeners.
 */
public class WorkerErrors extends RouteConfigurationBuilder {
    public static final String ID = "worker-errors";
    private final JobFailures failures;

    public WorkerErrors(JobFailures failures) {
        this.failures = failures;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                .handled(true)
                .bean(failures, "onFailure");
    }
}
