package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.api.model.CreateStep;
import io.deksdenflow.orchestrator.api.model.RunLogView;
import io.deksdenflow.orchestrator.api.model.RunPage;
import io.deksdenflow.orchestrator.api.model.AnswerQuestion;
import io.deksdenflow.orchestrator.api.model.StepActionResponse;
import io.deksdenflow.orchestrator.api.model.StepPage;
import io.deksdenflow.orchestrator.api.model.StepView;
import io.deksdenflow.orchestrator.engine.EngineRunStore;
import io.deksdenflow.orchestrator.engine.RunLogTail;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepService;
import io.deksdenflow.orchestrator.protocol.StepStore;
import java.nio.file.Path;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Step endpoints and actions, engine run records and their log tails. */
@Component
public class StepApi {
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

    public StepView create(@Header("id") String protocolId, @Body Object body, @Header("X-Project-Token") String token) {
        ProtocolRun p = access.protocol(protocolId, token);
        CreateStep r = ApiInput.body(body, CreateStep.class);
        StepRun s = service.create(p, r.command());
        return ApiViews.step(s, protocols.get(p.id()).status());
    }

    public StepPage list(@Header("id") String protocolId, @Header("after") String after,
                         @Header("limit") String limit, @Header("X-Project-Token") String token) {
        ProtocolRun p = access.protocol(protocolId, token);
        var page = steps.listByProtocol(p.id(), ApiInput.cursor("after", after), ApiInput.limit(limit));
        return new StepPage(ApiViews.items(page, s -> ApiViews.step(s, p.status())), ApiViews.cursor(page));
    }

    public StepView get(@Header("id") String id, @Header("X-Project-Token") String token) {
        StepRun s = access.step(id, token);
        return ApiViews.step(s, protocols.get(s.protocolRunId()).status());
    }

    /** One of {@link StepAction}'s user actions; the route names it in the {@code action} property. */
    public StepActionResponse action(@Header("id") String id, @ExchangeProperty(ApiRoutes.ACTION) StepAction action,
                                     @Header("X-Project-Token") String token, @Body Object body) {
        StepRun s = access.step(id, token);
        var result = action == StepAction.ANSWER
                ? service.answer(s.id(), ApiInput.body(body, AnswerQuestion.class).text())
                : service.act(s.id(), action);
        var status = protocols.get(s.protocolRunId()).status();
        return new StepActionResponse(result.message(), ApiViews.step(result.entity(), status), ApiViews.job(result.job()));
    }

    public RunPage runs(@Header("id") String id, @Header("after") String after,
                        @Header("limit") String limit, @Header("X-Project-Token") String token) {
        StepRun s = access.step(id, token);
        var page = runs.byStep(s.id(), ApiInput.cursor("after", after), ApiInput.limit(limit));
        return new RunPage(ApiViews.items(page, ApiViews::run), ApiViews.cursor(page));
    }

    /** The run's log: kept in its row at its end; while it runs, the live file when this process has it. */
    public RunLogView log(@Header("id") String id, @Header("X-Project-Token") String token) {
        EngineRunStore.EngineRun run = runs.get(ApiInput.id("run", id));
        access.protocol(run.protocolRunId(), token);
        RunLogTail log = runs.keptLog(run.id())
                .orElseGet(() -> run.logPath() == null ? RunLogTail.EMPTY : RunLogTail.read(Path.of(run.logPath())));
        return new RunLogView(run.id(), log.text(), log.truncated());
    }
}
