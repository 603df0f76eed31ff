package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * What a worker process does: DEKSDENFLOW_ROLE, how many jobs at once (DEKSDENFLOW_WORKER_CONCURRENCY),
 * retry delays (DEKSDENFLOW_JOB_BACKOFF_SECONDS, _JOB_BACKOFF_MAX_SECONDS, _USAGE_LIMIT_BACKOFF_SECONDS,
 * _USAGE_LIMIT_MAX_WAIT_SECONDS), leases and time-outs (DEKSDENFLOW_JOB_LEASE_SECONDS, _JOB_TIMEOUT) and
 * DEKSDENFLOW_SHUTDOWN_GRACE_SECONDS.
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record WorkerSettings(
        @DefaultValue("all") Role role,
        @DefaultValue("2") int workerConcurrency,
        @DefaultValue("2") int jobBackoffSeconds,
        @DefaultValue("60") int jobBackoffMaxSeconds,
        @DefaultValue("300") int usageLimitBackoffSeconds,
        @DefaultValue("21600") int usageLimitMaxWaitSeconds,
        @DefaultValue("60") int jobLeaseSeconds,
        @DefaultValue("7200") @DurationUnit(ChronoUnit.SECONDS) Duration jobTimeout,
        @DefaultValue("30") int shutdownGraceSeconds) {

    /** DEKSDENFLOW_ROLE: {@code all} (API and worker), {@code api} or {@code worker}. */
    public enum Role { ALL, API, WORKER }

    public WorkerSettings {
        if (role == null) throw new IllegalArgumentException("DEKSDENFLOW_ROLE must be all, api or worker");
        SettingsChecks.atLeast("DEKSDENFLOW_WORKER_CONCURRENCY", workerConcurrency, 1);
        SettingsChecks.atLeast("DEKSDENFLOW_JOB_BACKOFF_SECONDS", jobBackoffSeconds, 0);
        SettingsChecks.atLeast("DEKSDENFLOW_JOB_BACKOFF_MAX_SECONDS", jobBackoffMaxSeconds, 0);
        SettingsChecks.atLeast("DEKSDENFLOW_USAGE_LIMIT_BACKOFF_SECONDS", usageLimitBackoffSeconds, 1);
        SettingsChecks.atLeast("DEKSDENFLOW_USAGE_LIMIT_MAX_WAIT_SECONDS", usageLimitMaxWaitSeconds, 1);
        SettingsChecks.atLeast("DEKSDENFLOW_JOB_LEASE_SECONDS", jobLeaseSeconds, 1);
        SettingsChecks.positive("DEKSDENFLOW_JOB_TIMEOUT", jobTimeout);
        SettingsChecks.atLeast("DEKSDENFLOW_SHUTDOWN_GRACE_SECONDS", shutdownGraceSeconds, 0);
    }

    public static WorkerSettings defaults() { return SettingsBinding.defaults(WorkerSettings.class); }
}
