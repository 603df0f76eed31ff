package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.api.model.CreateProtocol;
import io.deksdenflow.orchestrator.api.model.EventPage;
import io.deksdenflow.orchestrator.api.model.ProtocolActionResponse;
import io.deksdenflow.orchestrator.api.model.ProtocolPage;
import io.deksdenflow.orchestrator.api.model.ProtocolView;
import io.deksdenflow.orchestrator.api.model.RaiseBudget;
import io.deksdenflow.orchestrator.api.model.RejectPlan;
import io.deksdenflow.orchestrator.events.EventStore;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.dispatch.ActionResult;
import io.deksdenflow.orchestrator.protocol.ProtocolAction;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolService;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
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

    public ProtocolView create(@Header("id") String projectId, @Body Object body, @Header("X-Project-Token") String token) {
        Project project = access.project(projectId, token);
        CreateProtocol r = ApiInput.body(body, CreateProtocol.class);
        return views.protocol(service.create(project, r.command()));
    }

    public ProtocolPage list(@Header("id") String projectId, @Header("after") String after,
                             @Header("limit") String limit, @Header("X-Project-Token") String token) {
        Project project = access.project(projectId, token);
        var page = protocols.listByProject(project.id(), ApiInput.cursor("after", after), ApiInput.limit(limit));
        return new ProtocolPage(ApiViews.items(page, views::protocol), ApiViews.cursor(page));
    }

    public ProtocolView get(@Header("id") String id, @Header("X-Project-Token") String token) {
        return views.protocol(access.protocol(id, token));
    }

    /** One of {@link ProtocolAction}'s user actions; the route names it in the {@code action} property. */
    public ProtocolActionResponse action(@Header("id") String id, @ExchangeProperty(ApiRoutes.ACTION) ProtocolAction action,
                                         @Header("X-Project-Token") String token, @Body Object body) {
        ProtocolRun p = access.protocol(id, token);
        ActionResult<ProtocolRun> r;
        if (action == ProtocolAction.RAISE_BUDGET) {
            RaiseBudget b = ApiInput.body(body, RaiseBudget.class);
            r = service.raiseBudget(p.id(), b.maxTokens(), b.maxCostUsd());
        } else if (action == ProtocolAction.REJECT_PLAN) {
            RejectPlan b = ApiInput.body(body, RejectPlan.class);
            r = service.rejectPlan(p.id(), b.feedback());
        } else {
            r = service.act(p.id(), action);
        }
        return new ProtocolActionResponse(r.message(), views.protocol(r.entity()), ApiViews.job(r.job()));
    }

    public EventPage events(@Header("id") String id, @Header("before") String before,
                            @Header("limit") String limit, @Header("X-Project-Token") String token) {
        ProtocolRun p = access.protocol(id, token);
        var page = events.byProtocol(p.id(), ApiInput.cursor("before", before), ApiInput.limit(limit));
        return new EventPage(ApiViews.items(page, ApiViews::event), ApiViews.cursor(page));
    }
}
