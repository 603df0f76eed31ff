package io.deksdenflow.orchestrator.ops;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** GET /routes: {@code {items, next_cursor}}, every route at once (the cursor is always null). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RoutesPage(List<RouteView> items, String nextCursor) {

    /** One Camel route with its camel-micrometer counters. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RouteView(String routeId, String endpoint, String status, long exchangesTotal, long exchangesFailed,
                            long exchangesInflight, Double meanProcessingMs, Double maxProcessingMs) {}
}
