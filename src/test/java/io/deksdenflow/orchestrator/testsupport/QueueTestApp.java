package io.deksdenflow.orchestrator.testsupport;

import io.deksdenflow.orchestrator.queue.OutboxStore;
import io.deksdenflow.orchestrator.queue.QueueSettings;
import io.deksdenflow.orchestrator.queue.RedisConfig;
import io.deksdenflow.orchestrator.worker.WorkerConfig;
import io.deksdenflow.orchestrator.worker.WorkerSettings;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;

/** The queue and worker packages alone (no API, no store, no outbox store), plus the test handlers. */
@SpringBootConfiguration
@org.springframework.boot.test.context.TestComponent
@EnableAutoConfiguration
@EnableConfigurationProperties({QueueSettings.class, WorkerSettings.class})
@ComponentScan(basePackageClasses = {RedisConfig.class, WorkerConfig.class},
        excludeFilters = {@ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
                // the outbox table's store needs the database these tests leave out (the relay is QueueConfig's)
                @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = OutboxStore.class)})
@Import(TestHandlers.class)
public class QueueTestApp {
}
