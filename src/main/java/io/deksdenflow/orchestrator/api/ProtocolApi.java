package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.common.NotFoundException;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolAction;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolService;
import io.deksdenflow.orchestrator.events.EventStore;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Protocol endpoints and actions. */
@Component
public class ProtocolApi {
    private final ProtocolService service;
    private final ProtocolStore protocols;
    private final EventStore events;
    private final Access access;
    private final PathViews views;

    ProtocolApi(ProtocolService service, ProtocolStore protocols, EventStore events, Access access, PathViews views) {
        this.service = service;
        this.protocols = protocols;
        this.events = events;
        this.access = access;
        this.views = views;
    }

    public Map<String, Object> create(@Header("id") String projectId, @Body String body, @Header("X-Project-Token") String token) {
        Project project = access.project(projectId, token);
        ApiRequests.CreateProtocol r = ApiInput.json(body, ApiRequests.CreateProtocol.class);
        return views.protocol(service.create(project, new ProtocolService.CreateProtocol(r.protocolName(),
                r.description(), r.baseBranch(), r.engine(), r.autoAdvance(), r.checks(),
                r.engines())));
    }

    public Map<String, Object> list(@Header("id") String projectId, @Header("after") String after,
                                    @Header("limit") String limit, @Header("X-Project-Token") String token) {
        Project project = access.project(projectId, token);
        return ApiViews.page(protocols.listByProject(project.id(), ApiInput.cursor("after", after), ApiInput.limit(limit)),
                views::protocol);
    }

    public Map<String, Object> get(@Header("id") String id, @Header("X-Project-Token") String token) {
        return views.protocol(access.protocol(id, token));
    }

    public Map<String, Object> action(@Header("id") String id, @Header("action") String action,
                                      @Header("X-Project-Token") String token, @Body String body) {
        ProtocolAction a = ProtocolAction.userAction(action)
                .orElseThrow(() -> new NotFoundException("protocol action", action));
        ProtocolRun p = access.protocol(id, token);
        if (a == ProtocolAction.RAISE_BUDGET) {
            ApiRequests.RaiseBudget r = ApiInput.json(body, ApiRequests.RaiseBudget.class);
            return ApiViews.action(service.raiseBudget(p.id(), r.maxTokens(), r.maxCostUsd()), "protocol", views::protocol);
        }
        return ApiViews.action(service.act(p.id(), a), "protocol", views::protocol);
    }

    public Map<String, Object> events(@Header("id") String id, @Header("before") String before,
                                      @Header("limit") String limit, @Header("X-Project-Token") String token) {
        ProtocolRun p = access.protocol(id, token);
        return ApiViews.page(events.byProtocol(p.id(), ApiInput.cursor("before", before), ApiInput.limit(limit)),
                ApiViews::event);
    }
}
