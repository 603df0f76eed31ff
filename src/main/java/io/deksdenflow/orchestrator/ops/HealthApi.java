package io.deksdenflow.orchestrator.ops;

import io.deksdenflow.orchestrator.engine.AgentLimits;
import io.deksdenflow.orchestrator.engine.AgentSandbox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** GET /health: 200 "ok" only when every probe answers, else 503 "degraded" naming the failing ones. */
@Component
public class HealthApi {
    private final List<HealthProbe> probes;
    private final AgentSandbox sandbox;
    private final AgentLimits limits;

    HealthApi(List<HealthProbe> probes, AgentSandbox sandbox, AgentLimits limits) {
        this.probes = probes;
        this.sandbox = sandbox;
        this.limits = limits;
    }

    public HealthView health(Exchange exchange) {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean ok = true;
        for (HealthProbe p : probes) {
            boolean up = p.up();
            ok &= up;
            checks.put(p.name(), up ? "ok" : "down");
        }
        checks.put("agent_sandbox", sandbox.describe());
        checks.put("agent_limits", limits.describe());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, ok ? 200 : 503);
        return new HealthView(ok ? "ok" : "degraded", checks);
    }
}
