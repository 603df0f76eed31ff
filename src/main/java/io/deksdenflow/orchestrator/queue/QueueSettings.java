package io.deksdenflow.orchestrator.queue;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The job queue in Redis: DEKSDENFLOW_REDIS_URL (unset: embedded), DEKSDENFLOW_QUEUE_NAMESPACE (key prefix,
 * so several deployments can share one server), DEKSDENFLOW_JOB_MAX_ATTEMPTS and how long finished job
 * records stay (DEKSDENFLOW_QUEUE_FINISHED_TTL_SECONDS, _QUEUE_FINISHED_MAX).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record QueueSettings(
        @DefaultValue("") String redisUrl,
        @DefaultValue("deksdenflow") String queueNamespace,
        @DefaultValue("3") int jobMaxAttempts,
        @DefaultValue("86400") int queueFinishedTtlSeconds,
        @DefaultValue("10000") int queueFinishedMax) {

    public QueueSettings {
        redisUrl = SettingsChecks.orEmpty(redisUrl);
        if (queueNamespace == null || queueNamespace.isBlank()) {
            throw new IllegalArgumentException("DEKSDENFLOW_QUEUE_NAMESPACE must not be empty");
        }
        SettingsChecks.atLeast("DEKSDENFLOW_JOB_MAX_ATTEMPTS", jobMaxAttempts, 1);
        SettingsChecks.atLeast("DEKSDENFLOW_QUEUE_FINISHED_TTL_SECONDS", queueFinishedTtlSeconds, 1);
        SettingsChecks.atLeast("DEKSDENFLOW_QUEUE_FINISHED_MAX", queueFinishedMax, 0);
    }

    public static QueueSettings defaults() { return SettingsBinding.defaults(QueueSettings.class); }

    public QueueSettings withJobMaxAttempts(int v) {
        return new QueueSettings(redisUrl, queueNamespace, v, queueFinishedTtlSeconds, queueFinishedMax);
    }
}
