package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.common.ModelNames;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.engine.egress.EgressPolicy;
import io.deksdenflow.orchestrator.git.GitUrlPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of registration input, unit-testable without Spring. */
final class ProjectRules {
    private static final Set<String> MODEL_KEYS = Set.of("planning", "exec", "qa");
    private static final Pattern SECRET_KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,63}$");

    private ProjectRules() {}

    public static String requireName(String name) {
        if (name == null || name.isBlank()) throw new ValidationException("name", "name is required");
        if (name.length() > 200) throw new ValidationException("name", "name is longer than 200 characters");
        if (name.chars().anyMatch(Character::isISOControl)) throw new ValidationException("name", "name contains control characters");
        return name.trim();
    }

    /** https, ssh, file:// URLs, scp-like {@code user@host:path}, or an absolute path (see GitUrls), where the policy allows. */
    public static String requireGitUrl(String url, GitUrlPolicy policy) {
        if (url == null || url.isBlank()) throw new ValidationException("git_url", "git_url is required");
        return policy.validate(url.trim());
    }

    /** {@code default_models}: keys planning, exec, qa; values plain model names (blank means unset). */
    public static Map<String, String> requireDefaultModels(Map<String, String> defaultModels) {
        Map<String, String> models = new LinkedHashMap<>();
        if (defaultModels == null) return models;
        defaultModels.forEach((k, v) -> {
            if (!MODEL_KEYS.contains(k)) throw new ValidationException("default_models." + k, "default_models keys are planning, exec, qa");
            if (v != null && !v.isBlank()) models.put(k, ModelNames.require("default_models." + k, v.trim()));
        });
        return models;
    }

    /** The agents' network allow-list: null (the setting applies) or valid entries (see EgressRule), normalised. */
    static List<String> requireAgentEgress(List<String> entries) {
        if (entries == null) return null;
        if (entries.size() > 100) throw new ValidationException("agent_egress", "agent_egress has more than 100 entries");
        try {
            return EgressPolicy.validate(entries.stream().map(e -> e == null ? "" : e).toList());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("agent_egress", e.getMessage());
        }
    }

    public static Map<String, String> requireSecrets(Map<String, String> secrets) {
        Map<String, String> out = new LinkedHashMap<>();
        if (secrets == null) return out;
        if (secrets.size() > 50) throw new ValidationException("secrets", "at most 50 secrets");
        secrets.forEach((k, v) -> {
            if (k == null || !SECRET_KEY.matcher(k).matches()) {
                throw new ValidationException("secrets", "secret names must match " + SECRET_KEY.pattern());
            }
            if (v == null) throw new ValidationException("secrets." + k, "secret values must be strings");
            if (v.length() > 8192) throw new ValidationException("secrets." + k, "secret value longer than 8192 characters");
            out.put(k, v);
        });
        return out;
    }

    /**
     * The {@code secrets} of a PATCH: a key with a value sets it (checked as at registration), a key
     * with null removes it (kept here as null); null is no change.
     */
    static Map<String, String> requireSecretChanges(Map<String, String> changes) {
        Map<String, String> out = new LinkedHashMap<>();
        if (changes == null) return out;
        if (changes.size() > 100) throw new ValidationException("secrets", "at most 100 secret changes");
        Map<String, String> set = new LinkedHashMap<>();
        changes.forEach((k, v) -> {
            if (v != null) set.put(k, v);
            else if (k == null || !SECRET_KEY.matcher(k).matches()) {
                throw new ValidationException("secrets", "secret names must match " + SECRET_KEY.pattern());
            }
        });
        requireSecrets(set);
        changes.forEach(out::put);
        return out;
    }

    /** {@code current} with {@code changes} applied (null removes a key); still at most 50 secrets. */
    static Map<String, String> mergeSecrets(Map<String, String> current, Map<String, String> changes) {
        Map<String, String> merged = new LinkedHashMap<>(current == null ? Map.of() : current);
        changes.forEach((k, v) -> {
            if (v == null) merged.remove(k); else merged.put(k, v);
        });
        return requireSecrets(merged);
    }

    public static String requireToken(String token) {
        if (token.length() < 8 || token.length() > 512) {
            throw new ValidationException("project_token", "project_token must be 8 to 512 characters");
        }
        return token;
    }
}
