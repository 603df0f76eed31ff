package io.deksdenflow.orchestrator.testsupport;

import io.deksdenflow.orchestrator.queue.EmbeddedRedis;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A service stand-in for the "embedded Redis dies with the JVM" test: starts the embedded Redis from a
 * short-lived thread (as a Spring start-up thread may be), writes its port to {@code args[0]} and
 * waits; the test SIGKILLs this JVM.
 */
public final class EmbeddedRedisMain {
    private EmbeddedRedisMain() {}

    public static void main(String[] args) throws Exception {
        EmbeddedRedis[] redis = new EmbeddedRedis[1];
        Thread starter = new Thread(() -> redis[0] = EmbeddedRedis.startWithoutExitHook(), "short-lived-starter");
        starter.start();
        starter.join();
        Files.writeString(Path.of(args[0]), Integer.toString(redis[0].port()));
        Thread.sleep(600_000);
    }
}
