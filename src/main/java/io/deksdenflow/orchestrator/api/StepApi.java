package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.common.NotFoundException;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepService;
import io.deksdenflow.orchestrator.engine.EngineRunStore;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Step endpoints and actions, engine run records and their log tails. */
@Component
public class StepApi {
    static final int LOG_TAIL_BYTES = 64 * 1024;
    private final StepService service;
    private final StepStore steps;
    private final ProtocolStore protocols;
    private final EngineRunStore runs;
    private final Access access;

    StepApi(StepService service, StepStore steps, ProtocolStore protocols, EngineRunStore runs, Access access) {
        this.service = service;
        this.steps = steps;
        this.protocols = protocols;
        this.runs = runs;
        this.access = access;
    }

    public Map<String, Object> create(@Header("id") String protocolId, @Body String body, @Header("X-Project-Token") String token) {
        ProtocolRun p = access.protocol(protocolId, token);
        ApiRequests.CreateStep r = ApiInput.json(body, ApiRequests.CreateStep.class);
        StepRun s = service.create(p, new StepService.CreateStep(r.stepIndex(), r.stepName(), r.stepType()));
        return ApiViews.step(s, protocols.get(p.id()).status());
    }

    public Map<String, Object> list(@Header("id") String protocolId, @Header("after") String after,
                                    @Header("limit") String limit, @Header("X-Project-Token") String token) {
        ProtocolRun p = access.protocol(protocolId, token);
        return ApiViews.page(steps.listByProtocol(p.id(), ApiInput.cursor("after", after), ApiInput.limit(limit)),
                s -> ApiViews.step(s, p.status()));
    }

    public Map<String, Object> get(@Header("id") String id, @Header("X-Project-Token") String token) {
        StepRun s = access.step(id, token);
        return ApiViews.step(s, protocols.get(s.protocolRunId()).status());
    }

    public Map<String, Object> action(@Header("id") String id, @Header("action") String action,
                                      @Header("X-Project-Token") String token) {
        StepAction a = StepAction.userAction(action).orElseThrow(() -> new NotFoundException("step action", action));
        StepRun s = access.step(id, token);
        var result = service.act(s.id(), a);
        var status = protocols.get(s.protocolRunId()).status();
        return ApiViews.action(result, "step", x -> ApiViews.step(x, status));
    }

    public Map<String, Object> runs(@Header("id") String id, @Header("after") String after,
                                    @Header("limit") String limit, @Header("X-Project-Token") String token) {
        StepRun s = access.step(id, token);
        return ApiViews.page(runs.byStep(s.id(), ApiInput.cursor("after", after), ApiInput.limit(limit)), ApiViews::run);
    }

    public Map<String, Object> log(@Header("id") String id, @Header("X-Project-Token") String token) throws IOException {
        EngineRunStore.EngineRun run = runs.get(ApiInput.id("run", id));
        access.protocol(run.protocolRunId(), token);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_id", run.id());
        String text = "";
        boolean truncated = false;
        if (run.logPath() != null && Files.isRegularFile(Path.of(run.logPath()))) {
            try (RandomAccessFile f = new RandomAccessFile(run.logPath(), "r")) {
                long len = f.length();
                long from = Math.max(0, len - LOG_TAIL_BYTES);
                truncated = from > 0;
                byte[] buf = new byte[(int) (len - from)];
                f.seek(from);
                f.readFully(buf);
                text = new String(buf, StandardCharsets.UTF_8);
            }
        }
        out.put("log", text);
        out.put("truncated", truncated);
        return out;
    }
}
