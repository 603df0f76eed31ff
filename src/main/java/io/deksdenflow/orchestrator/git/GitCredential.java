package io.deksdenflow.orchestrator.git;

import java.util.Map;

/** The user and token git sends to an https origin, from the project's secrets (first one set wins). */
record GitCredential(String user, String token) {
    static GitCredential from(Map<String, String> s) {
        if (notBlank(s.get("GITHUB_TOKEN"))) return new GitCredential("x-access-token", s.get("GITHUB_TOKEN").strip());
        if (notBlank(s.get("GITLAB_TOKEN"))) return new GitCredential("oauth2", s.get("GITLAB_TOKEN").strip());
        if (notBlank(s.get("GIT_TOKEN"))) {
            String user = notBlank(s.get("GIT_USERNAME")) ? s.get("GIT_USERNAME").strip() : "x-access-token";
            return new GitCredential(user, s.get("GIT_TOKEN").strip());
        }
        return null;
    }

    private static boolean notBlank(String v) { return v != null && !v.isBlank(); }
}
