package io.deksdenflow.orchestrator.forge;

import io.deksdenflow.orchestrator.git.GitCredential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The registry of forges: every {@link Forge} bean, by id. What the rest of the service knows about
 * providers — the valid {@code ci_provider} values, the webhook routes, the token secrets, the git
 * credential of a project — comes from here.
 */
@Component
public class Forges implements GitCredential.Source {
    private final Map<String, Forge> byId = new LinkedHashMap<>();

    public Forges(List<Forge> forges) {
        for (Forge f : forges) {
            if (!f.id().matches("[a-z][a-z0-9]{1,30}")) throw new IllegalStateException("bad forge id " + f.id());
            if (byId.putIfAbsent(f.id(), f) != null) throw new IllegalStateException("two forges with id " + f.id());
        }
    }

    public List<Forge> all() {
        return List.copyOf(byId.values());
    }

    public Set<String> ids() {
        return Set.copyOf(byId.keySet());
    }

    /** The ids in registration order, for messages and documents. */
    public List<String> idList() {
        return new ArrayList<>(byId.keySet());
    }

    public Optional<Forge> find(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /** The project secrets that hold forge tokens (never shown, always redacted). */
    public List<String> tokenSecrets() {
        return byId.values().stream().map(Forge::tokenSecret).toList();
    }

    /** The first forge token set, in registration order, with that forge's user; else {@code GIT_TOKEN}. */
    @Override
    public GitCredential from(Map<String, String> secrets) {
        for (Forge f : byId.values()) {
            String v = secrets.get(f.tokenSecret());
            if (v != null && !v.isBlank()) return new GitCredential(f.cloneUser(), v.strip());
        }
        return GitCredential.generic(secrets);
    }
}
