package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which repository addresses a project may use: https, ssh ({@code ssh://} or {@code user@host:path}),
 * {@code file://} and absolute local paths. Never an option ("-..."), never a remote-helper
 * transport ({@code ext::}, {@code fd::}, ...), never plain http/git (credentials in clear).
 */
public final class GitUrls {
    private static final Pattern SCP_LIKE = Pattern.compile("^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\\s]+$");

    private GitUrls() {}

    public static String validate(String url) {
        if (url == null || url.isBlank()) throw new ValidationException("git_url", "git_url is required");
        String u = url.strip();
        if (u.startsWith("-")) throw new ValidationException("git_url", "git_url must not start with '-'");
        if (u.contains("::")) throw new ValidationException("git_url", "remote-helper transports (e.g. ext::) are not allowed");
        if (u.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) throw new ValidationException("git_url", "git_url contains control characters");
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("ssh://") || lower.startsWith("file://")) {
            try {
                URI.create(u);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("git_url", "git_url is not a valid URL");
            }
            return u;
        }
        if (lower.contains("://")) throw new ValidationException("git_url", "git_url scheme must be https, ssh or file");
        if (SCP_LIKE.matcher(u).matches()) return u;
        if (u.startsWith("/")) return u;
        throw new ValidationException("git_url", "git_url must be an https/ssh/file URL or an absolute path");
    }

    /** {@code https://host/} of an https URL (for scoping the auth header), else null. */
    static String httpsOrigin(String url) {
        if (!url.toLowerCase(Locale.ROOT).startsWith("https://")) return null;
        URI uri = URI.create(url);
        String host = uri.getHost();
        if (host == null) return null;
        return "https://" + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/";
    }

    static boolean isLocalPath(String url) { return url.startsWith("/"); }
}
