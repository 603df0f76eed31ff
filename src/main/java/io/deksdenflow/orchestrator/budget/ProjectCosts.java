package io.deksdenflow.orchestrator.budget;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** A project's spend: in total (summed over its protocols) and this calendar month (UTC, by run start). */
@Component
public class ProjectCosts {
    private final ProtocolStore protocols;

    public ProjectCosts(ProtocolStore protocols) {
        this.protocols = protocols;
    }

    /** Epoch ms of the first instant of the current month, UTC. */
    public static long monthStart(long now) {
        return YearMonth.from(Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC)).atDay(1)
                .atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    public double thisMonth(long projectId) {
        return protocols.projectCostSince(projectId, monthStart(Clock.now()));
    }

    /** {tokens_used, cost_usd, cost_usd_month} of the project, for the API and the console. */
    public Map<String, Object> view(long projectId) {
        ProtocolStore.Totals t = protocols.projectTotals(projectId);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokens_used", t.tokensUsed());
        m.put("cost_usd", t.costUsd());
        m.put("cost_usd_month", thisMonth(projectId));
        return m;
    }
}
