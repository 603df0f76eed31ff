package io.deksdenflow.orchestrator.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deksdenflow.orchestrator.testsupport.ChildJvm;
import io.deksdenflow.orchestrator.testsupport.EmbeddedRedisMain;
import io.deksdenflow.orchestrator.testsupport.SlowTest;
import io.deksdenflow.orchestrator.testsupport.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A SIGKILLed service JVM (no shutdown hook runs) leaves no embedded redis-server behind. */
@SlowTest
class EmbeddedRedisDiesWithJvmTest {
    @TempDir
    Path tmp;

    @Test
    void aSigkilledJvmTakesItsEmbeddedRedisWithIt() throws Exception {
        Path portFile = tmp.resolve("port");
        Process jvm = ChildJvm.start("embedded-redis-dies", EmbeddedRedisMain.class, Map.of(), portFile.toString());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(portFile) && Files.size(portFile) > 0);
            int port = Integer.parseInt(Files.readString(portFile).strip());
            List<ProcessHandle> servers = jvm.toHandle().descendants()
                    .filter(h -> h.info().command().orElse("").contains("redis-server")).toList();
            assertThat(servers).as("the JVM's redis-server").isNotEmpty();
            assertThat(LoopbackPorts.listening(port)).isTrue();

            jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
            jvm.waitFor();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(servers.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList())
                        .as("redis-server processes alive after their JVM's SIGKILL").isEmpty();
                assertThat(LoopbackPorts.listening(port)).isFalse();
            });
        } finally {
            jvm.destroyForcibly();
        }
    }

}
