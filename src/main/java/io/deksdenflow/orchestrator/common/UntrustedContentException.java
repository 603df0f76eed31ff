package io.deksdenflow.orchestrator.common;

/**
 * Something the agent or the repository wrote tried to take the service outside its own files: a
 * replaced {@code .git} file, a dangerous git setting, a link out of the worktree. Never retried;
 * the job's failure records an event of {@link #eventType()} ({@code worktree_tampered},
 * {@code unsafe_path}) beside {@code job_failed}.
 */
public class UntrustedContentException extends JobFailure {
    public static final String WORKTREE_TAMPERED = "worktree_tampered";
    public static final String UNSAFE_PATH = "unsafe_path";

    private final String eventType;

    public UntrustedContentException(String eventType, String message) {
        super(message);
        this.eventType = eventType;
    }

    public String eventType() { return eventType; }

    /** The first one in {@code error}'s cause chain, or null. */
    public static UntrustedContentException in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UntrustedContentException u) return u;
        }
        return null;
    }
}
