package io.deksdenflow.orchestrator.git;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment a project's git runs with: an allow-list of the service's own (no GIT_DIR/GIT_WORK_TREE/GIT_CONFIG_*
 * from outside), prompts off, no system config, and the project's token as an {@code http.<origin>.extraHeader}
 * through {@code GIT_CONFIG_*} variables; with the redactor that hides every secret in what git says.
 */
record GitEnvironment(Map<String, String> env, Redactor redactor) {
    private static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LOGNAME", "TZ",
            "TMPDIR", "SSH_AUTH_SOCK", "GIT_SSH_COMMAND", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy",
            "http_proxy", "no_proxy");

    static GitEnvironment of(String remoteUrl, Map<String, String> secrets, GitCredential.Source credentials) {
        Map<String, String> s = secrets == null ? Map.of() : secrets;
        List<String> hidden = new ArrayList<>(s.values());
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((k, v) -> {
            if (INHERITED.contains(k)) env.put(k, v);
        });
        env.putAll(Map.of(
                "GIT_TERMINAL_PROMPT", "0",
                "GCM_INTERACTIVE", "never",
                "GIT_CONFIG_NOSYSTEM", "1",
                "LC_ALL", "C"));
        if (System.getenv("GIT_SSH_COMMAND") == null) env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        String origin = remoteUrl == null ? null : GitUrls.httpsOrigin(remoteUrl);
        GitCredential cred = credentials.from(s);
        if (origin != null && cred != null) {
            String basic = Base64.getEncoder().encodeToString((cred.user() + ":" + cred.token()).getBytes(StandardCharsets.UTF_8));
            env.put("GIT_CONFIG_COUNT", "1");
            env.put("GIT_CONFIG_KEY_0", "http." + origin + ".extraHeader");
            env.put("GIT_CONFIG_VALUE_0", "Authorization: Basic " + basic);
            hidden.add(basic);
        }
        return new GitEnvironment(env, new Redactor(hidden));
    }
}
