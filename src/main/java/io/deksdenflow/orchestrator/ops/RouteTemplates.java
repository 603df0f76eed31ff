package io.deksdenflow.orchestrator.ops;

import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.Forges;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Maps a request path to its route template ({@code /protocols/{id}/actions/start}), so HTTP
 * metrics and access logs have one series per endpoint, never one per id. The templates are those
 * of the REST DSL definitions in the CamelContext (a new endpoint needs no second entry here), plus
 * the endpoints outside it: the OpenAPI document, {@code /events/stream} (Spring MVC), the forges'
 * webhooks ({@code /webhooks/<forge id>} from the registry; {@code /webhooks/{custom}} for the YAML ones) and {@code /console/**}. Unknown paths are
 * "unmatched": the label set stays bounded whatever clients send.
 */
@Component
class RouteTemplates {
    public static final String UNMATCHED = "unmatched";
    static final String CONSOLE = "/console/**";
    static final String CUSTOM_WEBHOOK = "/webhooks/{custom}";
    static final String WEBHOOKS = "/webhooks/";
    private final Supplier<CamelContext> camel;
    private final List<String> nonRest;
    private volatile Snapshot snapshot = new Snapshot(-1, List.of());

    /** The CamelContext is looked up on first use: the servlet filters that use this are made before it. */
    @Autowired
    RouteTemplates(ObjectProvider<CamelContext> camel, Forges forges) {
        this(camel::getObject, forges.all().stream().map(Forge::id).toList());
    }

    RouteTemplates(CamelContext camel, List<String> forgeIds) {
        this(() -> camel, forgeIds);
    }

    private RouteTemplates(Supplier<CamelContext> camel, List<String> forgeIds) {
        this.camel = camel;
        List<String> paths = new ArrayList<>(List.of("/events/stream"));
        forgeIds.forEach(id -> paths.add(WEBHOOKS + id));
        this.nonRest = List.copyOf(paths);
    }

    private record Snapshot(int restCount, List<String[]> templates) {}

    public String of(String path) {
        if (path == null || path.isEmpty()) return UNMATCHED;
        if (path.equals("/console") || path.startsWith("/console/")) return CONSOLE;
        String[] segments = path.split("/");
        String best = null;
        int bestLiterals = -1;
        for (String[] t : templates()) {
            int literals = match(t, segments);
            if (literals > bestLiterals) {
                bestLiterals = literals;
                best = String.join("/", t);
            }
        }
        if (best != null) return best;
        return path.startsWith(WEBHOOKS) ? CUSTOM_WEBHOOK : UNMATCHED;
    }

    /** Every template, as path segments (the first one empty), most literal segments first. */
    List<String[]> templates() {
        List<RestDefinition> rests = rests();
        Snapshot s = snapshot;
        if (s.restCount() == rests.size()) return s.templates();
        List<String> paths = new ArrayList<>(nonRest);
        String api = rests.isEmpty() ? null : camel.get().getRestConfiguration().getApiContextPath();
        if (api != null && !api.isBlank()) paths.add(join("/", api));
        for (RestDefinition rest : rests) {
            for (VerbDefinition verb : rest.getVerbs()) {
                paths.add(join(rest.getPath(), verb.getPath()));
            }
        }
        List<String[]> templates = paths.stream().distinct().map(p -> p.split("/"))
                .sorted(Comparator.comparingInt((String[] t) -> -literals(t))).toList();
        snapshot = new Snapshot(rests.size(), templates);
        return templates;
    }

    private List<RestDefinition> rests() {
        try {
            Model model = camel.get().getCamelContextExtension().getContextPlugin(Model.class);
            return model == null ? List.of() : List.copyOf(model.getRestDefinitions());
        } catch (RuntimeException e) {
            return List.of(); // no CamelContext (yet, or any more): the fixed templates only
        }
    }

    /** The number of literal segments the template matches, or -1 when it does not match. */
    private static int match(String[] template, String[] segments) {
        if (template.length != segments.length) return -1;
        int literals = 0;
        for (int i = 1; i < template.length; i++) {
            String t = template[i];
            String s = segments[i];
            if (isParam(t)) {
                if (s.isEmpty()) return -1;
            } else if (t.equals(s)) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }

    private static int literals(String[] template) {
        int n = 0;
        for (String t : template) if (!t.isEmpty() && !isParam(t)) n++;
        return n;
    }

    private static boolean isParam(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static String join(String base, String path) {
        String b = base == null ? "" : base.trim();
        String p = path == null ? "" : path.trim();
        String joined = ("/" + b + "/" + p).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
