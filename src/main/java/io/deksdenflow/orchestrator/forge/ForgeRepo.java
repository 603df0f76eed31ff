package io.deksdenflow.orchestrator.forge;

import io.deksdenflow.orchestrator.common.JobFailure;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository a forge call is about: the project's name (for messages), its git URL and its secrets
 * (the token lives there).
 */
public record ForgeRepo(String projectName, String gitUrl, Map<String, String> secrets) {
    private static final Pattern REPO_PATH = Pattern.compile("^(?:https?://[^/]+/|ssh://[^/]+/|[^@]+@[^:]+:)(.+?)(?:\\.git)?/?$");
    private static final Pattern HOST = Pattern.compile("^(?:(https?)://|ssh://(?:[^@/]+@)?|[^@/]+@)([^/:]+)(?::(\\d+))?");

    public ForgeRepo {
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    }

    /** A secret's value, null when unset or blank. */
    public String secret(String key) {
        String v = secrets.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** The token secret {@code key}, or a {@link ForgeException} naming it and the project. */
    public String token(String key) throws ForgeException {
        String v = secret(key);
        if (v == null) throw ForgeException.misconfigured("secret " + key + " is not set on project " + projectName);
        return v;
    }

    /** owner/name (GitHub, Gitea) or group/subgroup/name (GitLab) from the git URL. */
    public String path() {
        String u = gitUrl.trim();
        if (u.startsWith("file://") || u.startsWith("/")) {
            // local mirrors (and tests): the last two path segments name owner/repository
            String[] parts = u.replaceFirst("^file://", "").replaceAll("/+$", "").replaceAll("\\.git$", "").split("/");
            if (parts.length >= 2) return parts[parts.length - 2] + "/" + parts[parts.length - 1];
        }
        Matcher m = REPO_PATH.matcher(u);
        if (!m.matches() || !m.group(1).contains("/")) {
            throw new JobFailure("cannot tell owner/repository from git_url " + gitUrl);
        }
        return m.group(1);
    }

    /** {@code https://host[:port]} of an https (or ssh, as https) git URL; null for local ones. */
    public String webOrigin() {
        Matcher m = HOST.matcher(gitUrl.trim());
        if (!m.find()) return null;
        boolean http = "http".equals(m.group(1));
        String port = http && m.group(3) != null ? ":" + m.group(3) : "";
        return (http ? "http://" : "https://") + m.group(2) + port;
    }
}
