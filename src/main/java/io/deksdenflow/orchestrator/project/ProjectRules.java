package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Validation of registration input, unit-testable without Spring. */
public final class ProjectRules {
    private static final Pattern SECRET_KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,63}$");

    private ProjectRules() {}

    public static String requireName(String name) {
        if (name == null || name.isBlank()) throw new ValidationException("name", "name is required");
        if (name.length() > 200) throw new ValidationException("name", "name is longer than 200 characters");
        if (name.chars().anyMatch(Character::isISOControl)) throw new ValidationException("name", "name contains control characters");
        return name.trim();
    }

    /** https, ssh, file:// URLs, scp-like {@code user@host:path}, or an absolute path (see GitUrls). */
    public static String requireGitUrl(String url) {
        if (url == null || url.isBlank()) throw new ValidationException("git_url", "git_url is required");
        return io.deksdenflow.orchestrator.git.GitUrls.validate(url.trim());
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

    public static String requireToken(String token) {
        if (token.length() < 8 || token.length() > 512) {
            throw new ValidationException("project_token", "project_token must be 8 to 512 characters");
        }
        return token;
    }
}
