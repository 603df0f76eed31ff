package io.deksdenflow.orchestrator.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a test main class in a separate JVM with this JVM's class path; output goes to target/. */
public final class ChildJvm {
    private ChildJvm() {}

    public static Process start(String name, Class<?> main, Map<String, String> env, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(new File("target/child-" + name + ".log"));
        pb.environment().putAll(env);
        return pb.start();
    }
}
