package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.common.UnauthorizedException;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Who may a delivery affect? Checked on the raw body before any parsing. The global secret
 * (DEKSDENFLOW_WEBHOOK_TOKEN) covers the projects without their own {@code secrets.webhook_token};
 * a project's own secret covers that project only. No match → 401. With no secret configured
 * anywhere, unsigned deliveries are refused unless DEKSDENFLOW_WEBHOOK_ALLOW_UNSIGNED=true
 * (development only).
 */
@Component
public class WebhookAuthenticator {
    /** The project secret that overrides the global webhook secret for that project. */
    public static final String PROJECT_SECRET = "webhook_token";
    private static final Logger log = LoggerFactory.getLogger(WebhookAuthenticator.class);

    private final WebhookSettings settings;
    private final ProjectStore projects;

    public WebhookAuthenticator(WebhookSettings settings, ProjectStore projects) {
        this.settings = settings;
        this.projects = projects;
    }

    /** A check of one secret against the delivery (the forge's HMAC or token comparison). */
    @FunctionalInterface
    public interface Check {
        boolean verifies(String secret);
    }

    /** The ids of the projects this delivery may affect, never empty; or 401. */
    public Set<Long> scope(Check check, boolean signed) {
        List<Project> all = projects.all();
        Set<Long> out = new LinkedHashSet<>();
        String global = settings.webhookToken();
        boolean globalSet = global != null && !global.isBlank();
        boolean anyProjectSecret = false;
        for (Project p : all) {
            String own = p.secret(PROJECT_SECRET);
            if (own != null && !own.isBlank()) {
                anyProjectSecret = true;
                if (signed && check.verifies(own)) {
                    out.add(p.id());
                }
            }
        }
        if (globalSet && signed && check.verifies(global)) {
            all.stream().filter(p -> blank(p.secret(PROJECT_SECRET))).forEach(p -> out.add(p.id()));
            return out.isEmpty() ? Set.of(-1L) : out; // valid, but no project (yet) to affect
        }
        if (!out.isEmpty()) {
            return out;
        }
        if (!globalSet && settings.webhookAllowUnsigned()) {
            log.warn("accepting an unsigned webhook delivery: DEKSDENFLOW_WEBHOOK_ALLOW_UNSIGNED=true is for development only");
            all.stream().filter(p -> blank(p.secret(PROJECT_SECRET))).forEach(p -> out.add(p.id()));
            return out.isEmpty() ? Set.of(-1L) : out;
        }
        if (!globalSet && !anyProjectSecret) {
            throw new UnauthorizedException("no webhook secret is configured (set DEKSDENFLOW_WEBHOOK_TOKEN)");
        }
        throw new UnauthorizedException(signed ? "webhook signature or token does not match" : "webhook signature or token missing");
    }

    /**
     * Whether a delivery whose secret covers {@code scope} may affect {@code project}: a project in the scope, or,
     * without one (a route that authenticated on its own), a project without its own {@code webhook_token}.
     */
    static boolean covers(Set<Long> scope, Project project) {
        return scope == null ? blank(project.secret(PROJECT_SECRET)) : scope.contains(project.id());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
