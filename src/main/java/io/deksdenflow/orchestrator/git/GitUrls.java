package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which repository addresses a project may use: https, ssh ({@code ssh://} or {@code user@host:path}),
 * {@code file://} and absolute local paths, at most 2,048 characters. Never an option ("-...", nor a
 * host or user starting with "-", which ssh would read as one), never a remote-helper transport
 * ({@code ext::}, {@code fd::}, ...), never plain http/git (credentials in clear). Where local
 * repositories may live is {@link GitUrlPolicy}'s concern.
 */
public final class GitUrls {
    private static final Pattern SCP_LIKE = Pattern.compile("^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\\s]+$");
    public static final int MAX_LENGTH = 2048;

    private GitUrls() {}

    public static String validate(String url) {
        if (url == null || url.isBlank()) throw new ValidationException("git_url", "git_url is required");
        String u = url.strip();
        if (u.length() > MAX_LENGTH) throw new ValidationException("git_url", "git_url is longer than " + MAX_LENGTH + " characters");
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
            requireNoOptionLikeAuthority(u.substring(lower.indexOf("://") + 3));
            return u;
        }
        if (lower.contains("://")) throw new ValidationException("git_url", "git_url scheme must be https, ssh or file");
        if (SCP_LIKE.matcher(u).matches()) {
            requireNoOptionLikeAuthority(u.substring(0, u.indexOf(':')));
            return u;
        }
        if (u.startsWith("/")) return u;
        throw new ValidationException("git_url", "git_url must be an https/ssh/file URL or an absolute path");
    }

    /** The user and host of {@code authority...} (up to the first '/'): neither may start with '-', even percent-encoded. */
    private static void requireNoOptionLikeAuthority(String rest) {
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        int at = authority.lastIndexOf('@');
        String user = at < 0 ? "" : authority.substring(0, at);
        String host = at < 0 ? authority : authority.substring(at + 1);
        if (optionLike(user)) throw new ValidationException("git_url", "the user in git_url must not start with '-'");
        if (optionLike(host)) throw new ValidationException("git_url", "the host in git_url must not start with '-'");
    }

    private static boolean optionLike(String part) {
        String p = part.strip();
        return p.startsWith("-") || p.regionMatches(true, 0, "%2d", 0, 3);
    }

    /**
     * The local paths a {@code file://} URL or an absolute path may name (for URLs both the
     * percent-decoded and the raw path, whichever git uses), or none for a remote URL. Call on a
     * {@link #validate validated} URL.
     */
    public static List<Path> localPaths(String url) {
        String u = url.strip();
        if (u.startsWith("/")) return List.of(Path.of(u));
        if (!u.toLowerCase(Locale.ROOT).startsWith("file://")) return List.of();
        URI uri = URI.create(u);
        String host = uri.getRawAuthority();
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
            throw new ValidationException("git_url", "file:// URLs must name a local path (file:///path)");
        }
        String path = uri.getPath();
        if (path == null || !path.startsWith("/")) throw new ValidationException("git_url", "file:// URLs must name an absolute path");
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ValidationException("git_url", "git_url contains encoded control characters");
        }
        try {
            return path.equals(uri.getRawPath()) ? List.of(Path.of(path)) : List.of(Path.of(path), Path.of(uri.getRawPath()));
        } catch (InvalidPathException e) {
            throw new ValidationException("git_url", "git_url is not a valid path");
        }
    }

    /**
     * Where git really reads a local repository at {@code path}: the real path (symlinks resolved), the
     * target of a {@code .git} gitfile ({@code gitdir: X}) or of a {@code .git} link, and the target of a
     * {@code commondir} file in any of those; each resolved as git would (relative to the file's
     * directory). Missing paths are returned as far as they resolve.
     */
    public static List<Path> repositoryDirs(Path path) {
        LinkedHashSet<Path> out = new LinkedHashSet<>();
        Path real = realPath(path);
        out.add(real);
        List<Path> gitDirs = new ArrayList<>(List.of(real));
        Path dotGit = real.resolve(".git");
        if (Files.isDirectory(dotGit)) gitDirs.add(realPath(dotGit));
        pointer(dotGit, "gitdir:").ifPresent(gitDirs::add);
        for (Path d : gitDirs) {
            out.add(d);
            pointer(d.resolve("commondir"), "").ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /** The path a small regular file names (after {@code prefix}), resolved against the file's directory. */
    private static Optional<Path> pointer(Path file, String prefix) {
        try {
            Path f = file.toRealPath();
            if (!Files.isRegularFile(f) || Files.size(f) > 4096) return Optional.empty();
            String text = Files.readString(f).strip();
            if (!text.startsWith(prefix)) return Optional.empty();
            String target = text.substring(prefix.length()).strip();
            if (target.isEmpty() || target.indexOf('\n') >= 0) return Optional.empty();
            return Optional.of(realPath(file.getParent().resolve(target)));
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** The real path of {@code p}: symlinks of its longest existing prefix resolved, the rest appended. */
    static Path realPath(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return abs;
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** A local path or file:// URL; anything unparseable counts as local (the cautious side). */
    static boolean isLocal(String url) {
        if (url == null || url.isEmpty()) return false;
        try {
            return !localPaths(url).isEmpty();
        } catch (RuntimeException e) {
            return true;
        }
    }
}
