package io.deksdenflow.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.api.model.ChannelSpec;
import io.deksdenflow.orchestrator.api.model.CreateProject;
import io.deksdenflow.orchestrator.api.model.DeliveryPage;
import io.deksdenflow.orchestrator.api.model.DeliveryView;
import io.deksdenflow.orchestrator.api.model.ProjectActionResponse;
import io.deksdenflow.orchestrator.api.model.ProjectPage;
import io.deksdenflow.orchestrator.api.model.ProjectView;
import io.deksdenflow.orchestrator.api.model.UpdateProject;
import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.dispatch.ActionResult;
import io.deksdenflow.orchestrator.notify.Channel;
import io.deksdenflow.orchestrator.notify.Delivery;
import io.deksdenflow.orchestrator.notify.DeliveryLog;
import io.deksdenflow.orchestrator.notify.NotifyChannels;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectService;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.project.ProjectTokens;
import java.util.List;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Project endpoints: check access, call the service, build the view. */
@Component
public class ProjectApi {
    private final ProjectService service;
    private final ProjectStore projects;
    private final Access access;
    private final PathViews views;
    private final NotifyChannels notifications;
    private final DeliveryLog deliveryLog;
    private final Transactions tx;

    ProjectApi(ProjectService service, ProjectStore projects, Access access, PathViews views,
               NotifyChannels notifications, DeliveryLog deliveryLog, Transactions tx) {
        this.service = service;
        this.notifications = notifications;
        this.deliveryLog = deliveryLog;
        this.tx = tx;
        this.projects = projects;
        this.access = access;
        this.views = views;
    }

    /** The project and its notification channels, in one transaction, each checked first (a 422 creates nothing). */
    public ProjectView create(@Body Object body) {
        CreateProject req = ApiInput.body(body, CreateProject.class);
        List<Channel> channels = notifications.require("notifications", ChannelSpec.inputs(req.notifications()));
        var result = tx.inTx(() -> {
            var r = service.create(req.command());
            if (channels != null) notifications.save(r.entity().id(), channels);
            return r;
        });
        return views.project(result.entity()).withJob(ApiViews.job(result.job()));
    }

    /** Every project; a token-protected one in full only when one of the request's X-Project-Tokens is its token. */
    public ProjectPage list(@Header("after") String after, @Header("limit") String limit,
                            @Header("X-Project-Token") String tokens) {
        ProjectTokens.Presented presented = ProjectTokens.presented(tokens);
        var page = projects.list(ApiInput.cursor("after", after), ApiInput.limit(limit));
        return new ProjectPage(ApiViews.items(page, p -> presented.allows(p) ? views.project(p) : ApiViews.lockedProject(p)),
                ApiViews.cursor(page));
    }

    public ProjectView get(@Header("id") String id, @Header("X-Project-Token") String token) {
        return views.project(access.project(id, token));
    }

    /** {@code PATCH /projects/{id}}: read here (absent and null fields differ), then one service call. */
    public ProjectActionResponse update(@Header("id") String id, @Header("X-Project-Token") String token,
                                        @Body String body) throws JsonProcessingException {
        Project p = access.project(id, token);
        ObjectNode fields = ApiInput.object(body);
        UpdateProject req = ApiInput.fields(fields, UpdateProject.class);
        Set<String> given = ApiInput.given(fields);
        boolean channelsGiven = given.remove("notifications");
        List<Channel> channels = channelsGiven
                ? notifications.require("notifications", ChannelSpec.inputs(req.notifications())) : null;
        var r = tx.inTx(() -> {
            var updated = service.update(p.id(), req.command(given));
            if (channelsGiven && notifications.save(p.id(), channels) && updated.job() == null
                    && updated.message().equals("nothing changed")) {
                return new ActionResult<>("notifications updated", updated.entity(), null);
            }
            return updated;
        });
        return new ProjectActionResponse(r.message(), views.project(r.entity()), null);
    }

    /** {@code GET /projects/{id}/notifications/deliveries}: the delivery log, newest first. */
    public DeliveryPage deliveries(@Header("id") String id, @Header("X-Project-Token") String token,
                                   @Header("before") String before, @Header("limit") String limit) {
        Project p = access.project(id, token);
        var page = deliveryLog.byProject(p.id(), ApiInput.cursor("before", before), ApiInput.limit(limit));
        return new DeliveryPage(ApiViews.items(page, ProjectApi::delivery), ApiViews.cursor(page));
    }

    private static DeliveryView delivery(Delivery d) {
        return new DeliveryView(d.id(), d.projectId(), d.protocolRunId(), d.stepRunId(), d.eventId(), d.kind().api(),
                d.channelType(), d.channelLabel(), d.messageId(), d.status().api(), d.attempts(), d.lastError(),
                d.lastStatusCode(), Clock.iso(d.createdAt()), Clock.iso(d.updatedAt()),
                d.deliveredAt() == null ? null : Clock.iso(d.deliveredAt()));
    }

    public ProjectActionResponse setup(@Header("id") String id, @Header("X-Project-Token") String token) {
        var r = service.setup(access.project(id, token).id());
        return new ProjectActionResponse(r.message(), views.project(r.entity()), ApiViews.job(r.job()));
    }
}
