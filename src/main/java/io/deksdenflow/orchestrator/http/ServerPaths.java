package io.deksdenflow.orchestrator.http;

import io.deksdenflow.orchestrator.config.DatabaseSettings;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.secrets.SecretsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Keeps the server's absolute paths out of what the API sends (error messages, {@code last_error}
 * of projects, protocols, steps and jobs, event messages, reports): the workspace becomes
 * {@code <workspace>}, the database and key files {@code <data>/<file name>}. Applied to every API
 * text field that can carry one (the views' fields marked {@code HidePaths}), to error bodies
 * and to each event of the stream; off when DEKSDENFLOW_EXPOSE_PATHS=true (single-user setups), which also shows
 * {@code local_path} and {@code worktree_path}.
 */
@Component
public class ServerPaths {
    private final List<Map.Entry<Pattern, String>> rules = new ArrayList<>();

    ServerPaths(ApiSettings api, WorkspaceSettings workspace, DatabaseSettings database, SecretsSettings secrets) {
        if (api.exposePaths()) return;
        Map<String, String> paths = new LinkedHashMap<>();
        add(paths, workspace.workspaceDir(), "<workspace>");
        database.sqliteFile().ifPresent(f -> add(paths, f, "<data>/" + f.getFileName()));
        if (!secrets.secretsKeyFile().isBlank()) {
            Path key = Path.of(secrets.secretsKeyFile());
            add(paths, key, "<data>/" + key.getFileName());
        }
        paths.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
                .forEach(e -> rules.add(Map.entry(Pattern.compile(Pattern.quote(e.getKey()) + "(?![\\w.-])"),
                        Matcher.quoteReplacement(e.getValue()))));
    }

    private static void add(Map<String, String> paths, Path p, String placeholder) {
        Path abs = p.toAbsolutePath().normalize();
        if (abs.getNameCount() == 0) return; // never "/"
        paths.put(abs.toString(), placeholder);
        try {
            if (Files.exists(abs)) paths.putIfAbsent(abs.toRealPath().toString(), placeholder);
        } catch (IOException ignored) {
            // the absolute form is enough
        }
    }

    public String hide(String text) {
        if (text == null || rules.isEmpty()) return text;
        String out = text;
        for (Map.Entry<Pattern, String> r : rules) out = r.getKey().matcher(out).replaceAll(r.getValue());
        return out;
    }

    /** {@code body} itself when it names no server path, else the body with them replaced. */
    byte[] hide(byte[] body) {
        if (rules.isEmpty() || body.length == 0) return body;
        String text = new String(body, StandardCharsets.UTF_8);
        String hidden = hide(text);
        return hidden.equals(text) ? body : hidden.getBytes(StandardCharsets.UTF_8);
    }

    boolean active() { return !rules.isEmpty(); }
}
