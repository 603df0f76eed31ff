package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.testsupport.StandInAgent;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared bits of the engine tests. */
final class EngineTestSupport {
    private EngineTestSupport() {}

    static TestSettings settings() {
        TestSettings s = new TestSettings();
        s.setEngineTimeout(Duration.ofSeconds(60));
        return s;
    }

    /** A stand-in wrapper with STAND_IN_MODE and an argv record file in {@code dir}. */
    static Path agent(Path dir, String mode, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("STAND_IN_MODE", mode);
        env.put("STAND_IN_ARGV_FILE", dir.resolve("argv.jsonl").toString());
        return StandInAgent.wrapper(dir, "agent-" + mode, env);
    }

    /** The calls the stand-in recorded. */
    static List<JsonNode> calls(Path dir) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String l : Files.readAllLines(dir.resolve("argv.jsonl"))) out.add(new ObjectMapper().readTree(l));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> argv(JsonNode call) {
        List<String> a = new ArrayList<>();
        call.get("argv").forEach(n -> a.add(n.asText()));
        return a;
    }

    static EngineRequest request(String phase, Path workdir, boolean readOnly, Path schema, Path log) {
        return new EngineRequest(phase, workdir, "Do the thing [protocol-0001/01]", "", readOnly, schema, log, null);
    }

    /** A cancel handle the test triggers. */
    static final class TestCancel implements CancelHandle {
        private final List<Runnable> actions = new ArrayList<>();
        private boolean cancelled;

        @Override
        public synchronized void onCancel(Runnable r) {
            if (cancelled) r.run(); else actions.add(r);
        }

        synchronized void cancel() {
            cancelled = true;
            actions.forEach(Runnable::run);
        }
    }
}
