package io.deksdenflow.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** A JVM with the handler installed exits 0 on SIGTERM, after running its shutdown hooks. */
@DisabledOnOs(OS.WINDOWS)
class GracefulExitTest {

    public static void main(String[] args) throws Exception {
        GracefulExit.install();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook ran")));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000);
    }

    @Test
    void sigtermExitsZeroAfterShutdownHooks() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = Files.createTempFile("graceful-exit", ".log");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                GracefulExitTest.class.getName()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(out).contains("ready") && System.nanoTime() < deadline) Thread.sleep(50);
            p.destroy();   // SIGTERM on Unix (destroy also closes our ends of its pipes, hence the file)
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String text = Files.readString(out);
            assertEquals(0, p.exitValue(), text);
            assertTrue(text.contains("hook ran"), text);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }
}
