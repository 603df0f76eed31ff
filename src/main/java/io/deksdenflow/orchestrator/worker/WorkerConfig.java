package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** Worker beans and routes; only when DEKSDENFLOW_ROLE is all or worker. */
@Configuration(proxyBeanMethods = false)
@Conditional(WorkerRole.class)
public class WorkerConfig {

    @Bean
    OutcomeListeners outcomeListeners(ObjectProvider<JobOutcomeListener> listeners) {
        return new OutcomeListeners(listeners.orderedStream().toList());
    }

    /** Every handler with its type's retry policy, derived from the global one (DEKSDENFLOW_JOB_*). */
    @Bean
    HandlerRegistry handlerRegistry(ObjectProvider<JobHandler<?>> handlers, Settings settings) {
        return new HandlerRegistry(handlers.orderedStream().toList(), RetryPolicy.defaults(
                settings.getJobMaxAttempts(), settings.getJobBackoffSeconds(), settings.getJobBackoffMaxSeconds()));
    }

    @Bean
    UsageLimitWait usageLimitWait(Settings settings) {
        return new UsageLimitWait(Duration.ofSeconds(Math.max(1, settings.getUsageLimitBackoffSeconds())),
                Duration.ofSeconds(Math.max(1, settings.getUsageLimitMaxWaitSeconds())));
    }

    @Bean(destroyMethod = "close")
    RunningJobs runningJobs(RedisJobQueue queue, Settings settings) {
        return new RunningJobs(queue, workerId(), settings.getWorkerConcurrency(),
                Duration.ofSeconds(settings.getJobLeaseSeconds()));
    }

    @Bean(destroyMethod = "close")
    CompletionBatcher completionBatcher(RedisJobQueue queue, RunningJobs running, Settings settings) {
        return new CompletionBatcher(queue, running.workerId(), settings.getWorkerConcurrency());
    }

    @Bean
    JobPerformer jobPerformer(HandlerRegistry handlers, RunningJobs running, RedisJobQueue queue,
                              CompletionBatcher acks, UsageLimitWait limits, OutcomeListeners listeners, Settings settings) {
        return new JobPerformer(handlers, running, queue, acks, limits, listeners, settings.getJobTimeout());
    }

    @Bean(destroyMethod = "close")
    WorkerClaimer workerClaimer(RedisJobQueue queue, RedisConnectionFactory connections, RunningJobs running,
                                JobPerformer performer, Settings settings) {
        return new WorkerClaimer(queue, connections, running, performer, Duration.ofSeconds(settings.getJobLeaseSeconds()),
                Duration.ofSeconds(settings.getQueueFinishedTtlSeconds()), settings.getQueueFinishedMax(),
                Math.max(1, settings.getWorkerConcurrency()));
    }

    @Bean
    WorkerErrors workerErrors(RunningJobs running) {
        return new WorkerErrors(running);
    }

    @Bean
    WorkerRoutes workerRoutes(WorkerClaimer claimer, JobPerformer performer, RunningJobs running, Settings settings,
                              CancelSignals cancelSignals) {
        return new WorkerRoutes(claimer, performer, running, Math.max(1, settings.getWorkerConcurrency()),
                cancelSignals.channel());
    }

    @Bean
    ClaimStop claimStop(ObjectProvider<org.apache.camel.CamelContext> camel) {
        return new ClaimStop(camel);
    }

    /** Running jobs get DEKSDENFLOW_SHUTDOWN_GRACE_SECONDS to finish when the process stops. */
    @Bean
    CamelContextConfiguration workerShutdownGrace(Settings settings) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                context.getShutdownStrategy().setTimeout(Math.max(1, settings.getShutdownGraceSeconds()));
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
