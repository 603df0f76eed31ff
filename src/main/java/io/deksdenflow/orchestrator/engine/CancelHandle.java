package io.deksdenflow.orchestrator.engine;

/**
 * Where a running process registers what to do when its job is cancelled. The worker's job context
 * adapts to this; an implementation that is already cancelled runs the action at once.
 */
@FunctionalInterface
public interface CancelHandle {

    /** Registers {@code onCancel}, to be run (once, from any thread) when the job is cancelled. */
    void onCancel(Runnable onCancel);

    /** A handle that never cancels. */
    static CancelHandle none() {
        return onCancel -> { };
    }
}
