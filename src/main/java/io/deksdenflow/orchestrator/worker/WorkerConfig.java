package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.QueueSettings;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** Worker beans and routes; only when DEKSDENFLOW_ROLE is all or worker. */
@Configuration(proxyBeanMethods = false)
@Conditional(WorkerRole.class)
public class WorkerConfig {

    /**
     * Under Spring AOT ({@code -Dspring.aot.enabled=true}) the condition above was decided when the jar was
     * built, for role all: a process of role api started that way would run a worker anyway, so it stops
     * naming the cause (./deksdenflow starts role api without the flag).
     */
    WorkerConfig(WorkerSettings settings) {
        if (settings.role() == WorkerSettings.Role.API && AotDetector.useGeneratedArtifacts()) {
            throw new IllegalStateException("DEKSDENFLOW_ROLE=api cannot start with -Dspring.aot.enabled=true "
                    + "(the jar's AOT code holds the worker); start it without that flag");
        }
    }

    @Bean
    OutcomeListeners outcomeListeners(ObjectProvider<JobOutcomeListener> listeners) {
        return new OutcomeListeners(listeners.orderedStream().toList());
    }

    /** Every handler with its type's retry policy, derived from the global one (DEKSDENFLOW_JOB_*). */
    @Bean
    HandlerRegistry handlerRegistry(ObjectProvider<JobHandler<?>> handlers, WorkerSettings settings, QueueSettings queue) {
        return new HandlerRegistry(handlers.orderedStream().toList(), RetryPolicy.defaults(
                queue.jobMaxAttempts(), settings.jobBackoffSeconds(), settings.jobBackoffMaxSeconds()));
    }

    @Bean
    UsageLimitWait usageLimitWait(WorkerSettings settings) {
        return new UsageLimitWait(Duration.ofSeconds(Math.max(1, settings.usageLimitBackoffSeconds())),
                Duration.ofSeconds(Math.max(1, settings.usageLimitMaxWaitSeconds())));
    }

    @Bean(destroyMethod = "close")
    RunningJobs runningJobs(RedisJobQueue queue, WorkerSettings settings) {
        return new RunningJobs(queue, workerId(), settings.workerConcurrency(),
                Duration.ofSeconds(settings.jobLeaseSeconds()));
    }

    @Bean(destroyMethod = "close")
    CompletionBatcher completionBatcher(RedisJobQueue queue, RunningJobs running, OutcomeListeners listeners,
                                        WorkerSettings settings) {
        return new CompletionBatcher(queue, running, listeners, settings.workerConcurrency());
    }

    @Bean
    JobPerformer jobPerformer(HandlerRegistry handlers, RunningJobs running, RedisJobQueue queue,
                              CompletionBatcher acks, UsageLimitWait limits, OutcomeListeners listeners, WorkerSettings settings,
                              ProtocolLeases leases) {
        return new JobPerformer(handlers, running, queue, acks, limits, listeners, settings.jobTimeout(), leases);
    }

    @Bean(destroyMethod = "close")
    WorkerClaimer workerClaimer(RedisJobQueue queue, RedisConnectionFactory connections, RunningJobs running,
                                JobPerformer performer, WorkerSettings settings, QueueSettings queueSettings) {
        return new WorkerClaimer(queue, connections, running, performer, Duration.ofSeconds(settings.jobLeaseSeconds()),
                Duration.ofSeconds(queueSettings.queueFinishedTtlSeconds()), queueSettings.queueFinishedMax(),
                Math.max(1, settings.workerConcurrency()));
    }

    @Bean
    WorkerErrors workerErrors(RunningJobs running) {
        return new WorkerErrors(running);
    }

    @Bean
    WorkerRoutes workerRoutes(WorkerClaimer claimer, JobPerformer performer, RunningJobs running, WorkerSettings settings,
                              CancelSignals cancelSignals) {
        return new WorkerRoutes(claimer, performer, running, Math.max(1, settings.workerConcurrency()),
                cancelSignals.channel());
    }

    @Bean
    ClaimStop claimStop(ObjectProvider<org.apache.camel.CamelContext> camel) {
        return new ClaimStop(camel);
    }

    /** Running jobs get DEKSDENFLOW_SHUTDOWN_GRACE_SECONDS to finish when the process stops. */
    @Bean
    CamelContextConfiguration workerShutdownGrace(WorkerSettings settings) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                context.getShutdownStrategy().setTimeout(Math.max(1, settings.shutdownGraceSeconds()));
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
                // nothing
            }
        };
    }

    static String workerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        String pid = Long.toString(ManagementFactory.getRuntimeMXBean().getPid());
        return host + ":" + pid + ":" + UUID.randomUUID().toString().substring(0, 6);
    }
}
