package io.deksdenflow.orchestrator.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.stereotype.Component;

/** GET /routes: every Camel route with its source endpoint, status and camel-micrometer counters. */
@Component
public class RoutesMonitor {
    private final CamelContext camel;
    private final MeterRegistry registry;

    RoutesMonitor(CamelContext camel, MeterRegistry registry) {
        this.camel = camel;
        this.registry = registry;
    }

    public RoutesPage routes() {
        List<RoutesPage.RouteView> items = new ArrayList<>();
        List<Route> routes = new ArrayList<>(camel.getRoutes());
        routes.sort(Comparator.comparing(Route::getRouteId));
        for (Route r : routes) {
            double total = 0;
            double failed = 0;
            double inflight = 0;
            Timer timer = null;
            for (Meter meter : registry.getMeters()) {
                if (!r.getRouteId().equals(meter.getId().getTag("routeId"))) continue;
                String name = meter.getId().getName();
                if (meter instanceof Counter c) {
                    if (name.contains("failed")) failed += c.count();
                    else if (name.equals("camel.exchanges.total") || name.equals("camel.exchanges")) total += c.count();
                } else if (meter instanceof Timer t && name.startsWith("camel.route.policy")) {
                    timer = t;
                } else if (name.contains("inflight")) {
                    for (var ms : meter.measure()) inflight = ms.getValue();
                }
            }
            if (total == 0 && timer != null) total = timer.count();
            items.add(new RoutesPage.RouteView(r.getRouteId(), r.getEndpoint() == null ? null : r.getEndpoint().getEndpointUri(),
                    String.valueOf(camel.getRouteController().getRouteStatus(r.getRouteId())).toLowerCase(),
                    (long) total, (long) failed, (long) inflight,
                    timer == null ? null : timer.mean(TimeUnit.MILLISECONDS),
                    timer == null ? null : timer.max(TimeUnit.MILLISECONDS)));
        }
        return new RoutesPage(items, null);
    }
}
