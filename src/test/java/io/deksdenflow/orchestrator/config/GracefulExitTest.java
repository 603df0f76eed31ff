package io.deksdenflow.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deksdenflow.orchestrator.OrchestratorApplication;
import io.deksdenflow.orchestrator.testsupport.SlowTest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A JVM with the handler installed exits 0 on SIGTERM, after running its shutdown hooks; the default run
 * (SQLite, embedded Redis) stops cleanly on SIGTERM: status 0, no WARN or ERROR line, and its embedded
 * redis-server is gone (it stops after everything that uses it).
 */
@SlowTest
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

    private static final Pattern BAD_LINE = Pattern.compile("\\b(WARN|ERROR)\\b|Exception|Cannot reconnect|timed out");

    @Test
    void defaultRunStopsCleanlyOnSigterm() throws Exception {
        Path dir = Files.createTempDirectory("graceful-exit-app");
        Path out = dir.resolve("app.log");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), OrchestratorApplication.class.getName())
                .redirectErrorStream(true).redirectOutput(out.toFile()).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DEKSDENFLOW_"));
        pb.environment().put("DEKSDENFLOW_API_HOST", "127.0.0.1");
        pb.environment().put("DEKSDENFLOW_API_PORT", Integer.toString(port));
        pb.environment().put("DEKSDENFLOW_DB_PATH", dir.resolve("db.sqlite").toString());
        pb.environment().put("DEKSDENFLOW_WORKSPACE", dir.resolve("ws").toString());
        pb.environment().put("DEKSDENFLOW_ROUTES_DIR", dir.resolve("routes").toString());
        Process p = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            boolean up = false;
            while (!up && p.isAlive() && System.nanoTime() < deadline) {
                try {
                    up = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (java.io.IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertTrue(up, () -> "no healthy /health: " + read(out));
            List<ProcessHandle> children = p.descendants().toList();
            assertTrue(children.stream().anyMatch(c -> c.info().command().orElse("").contains("redis-server")),
                    () -> "no embedded redis-server child: " + children);

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), () -> "still running: " + read(out));
            String text = read(out);
            assertEquals(0, p.exitValue(), text);
            String after = text.substring(Math.max(0, text.indexOf("SIGTERM")));
            assertFalse(BAD_LINE.matcher(after).find(), after);
            for (ProcessHandle c : children) c.onExit().get(10, TimeUnit.SECONDS);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
