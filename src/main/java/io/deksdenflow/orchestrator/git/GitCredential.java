package io.deksdenflow.orchestrator.git;

import java.util.Map;

/** The user and token git sends to an https origin. */
public record GitCredential(String user, String token) {

    /** Where a project's credential comes from: its forge's token first (see the forge registry), then {@code GIT_TOKEN}. */
    @FunctionalInterface
    public interface Source {
        /** The credential for these project secrets; null when none is set. */
        GitCredential from(Map<String, String> secrets);
    }

    /** {@code GIT_TOKEN} with {@code GIT_USERNAME} (default {@code x-access-token}): a forge this service does not know. */
    public static GitCredential generic(Map<String, String> s) {
        if (notBlank(s.get("GIT_TOKEN"))) {
            String user = notBlank(s.get("GIT_USERNAME")) ? s.get("GIT_USERNAME").strip() : "x-access-token";
            return new GitCredential(user, s.get("GIT_TOKEN").strip());
        }
        return null;
    }

    private static boolean notBlank(String v) { return v != null && !v.isBlank(); }
}
