package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.CiStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a webhook payload is about a project's repository, so that a branch name from repository
 * A never moves a run of project B. URLs are compared normalized: {@code host/owner/name},
 * lower-case, without scheme, user info, port, trailing slash or {@code .git}.
 */
final class Repositories {

    /** {@code scheme://[userinfo@]host[:port]/path}. */
    private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/]*@)?([^/:]+)(?::\\d*)?(/.*)?$");
    /** scp-like {@code [user@]host:path} as used by ssh clone URLs. */
    private static final Pattern SCP = Pattern.compile("^(?:[^@/]+@)?([^/:]+):(?!//)(.+)$");

    private Repositories() {
    }

    /**
     * True when the status names no repository, or when one of its repository forms equals the
     * project's: a clone/web URL normalized to {@code host/owner/name}, or the full name /
     * path_with_namespace equal to the project's path. A project on {@code file://} or a local path
     * matches on the last two path segments ({@code owner/name}) of any repository form.
     */
    public static boolean matches(String projectGitUrl, CiStatus status) {
        return status == null || matches(projectGitUrl, status.repository(), status.repositoryUrls());
    }

    /**
     * The same for a repository named by its full name / path_with_namespace ({@code repository}, may be
     * null) and its clone/web URLs: true when it names none, or one of its forms is the project's.
     */
    public static boolean matches(String projectGitUrl, String repository, List<String> repositoryUrls) {
        List<String> forms = new ArrayList<>(repositoryUrls == null ? List.of() : repositoryUrls);
        boolean hasFullName = repository != null && !repository.isBlank();
        if (!hasFullName && forms.isEmpty()) {
            return true;
        }
        Location project = Location.parse(projectGitUrl);
        if (project == null) {
            return false;
        }
        if (project.local()) {
            String mine = lastTwo(project.path());
            if (mine == null) {
                return false;
            }
            if (hasFullName) {
                forms.add(repository);
            }
            for (String form : forms) {
                Location other = Location.parse(form);
                if (other != null && mine.equals(lastTwo(other.path()))) {
                    return true;
                }
            }
            return false;
        }
        if (hasFullName && project.path().equals(cleanPath(repository))) {
            return true;
        }
        for (String form : forms) {
            Location other = Location.parse(form);
            if (other != null && !other.local() && project.normalized().equals(other.normalized())) {
                return true;
            }
        }
        return false;
    }

    /** {@code host/owner/name} for remote URLs, the cleaned path for local ones; null when unusable. */
    public static String normalize(String gitUrl) {
        Location l = Location.parse(gitUrl);
        return l == null ? null : l.normalized();
    }

    private static String lastTwo(String path) {
        String[] parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (parts.length == 0) {
            return null;
        }
        return parts.length == 1 ? parts[0] : parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }

    private static String cleanPath(String path) {
        String p = path.trim().toLowerCase(Locale.ROOT).replace('\\', '/');
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.endsWith(".git")) {
            p = p.substring(0, p.length() - 4);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    private record Location(String host, String path) {

        boolean local() { return host == null; }

        String normalized() { return local() ? path : host + "/" + path; }

        static Location parse(String raw) {
            if (raw == null || raw.isBlank()) {
                return null;
            }
            String s = raw.trim();
            if (s.regionMatches(true, 0, "file:", 0, 5)) {
                String p = cleanPath(s.substring(5));
                return p.isEmpty() ? null : new Location(null, p);
            }
            Matcher m = URL.matcher(s);
            if (m.matches()) {
                String p = m.group(2) == null ? "" : cleanPath(m.group(2));
                return p.isEmpty() ? null : new Location(m.group(1).toLowerCase(Locale.ROOT), p);
            }
            if (!s.startsWith("/") && !s.startsWith(".") && !s.contains("\\")) {
                Matcher scp = SCP.matcher(s);
                if (scp.matches()) {
                    String p = cleanPath(scp.group(2));
                    return p.isEmpty() ? null : new Location(scp.group(1).toLowerCase(Locale.ROOT), p);
                }
            }
            String p = cleanPath(s);
            return p.isEmpty() ? null : new Location(null, p);
        }
    }
}
