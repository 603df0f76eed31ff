package io.deksdenflow.orchestrator.project;

import com.fasterxml.jackson.annotation.JsonValue;
import io.deksdenflow.orchestrator.common.TransitionTable;
import java.util.Locale;

/**
 * pending → setting_up → ready | failed; a ready or failed project can be set up again; a set-up job
 * that fails before it started (still pending) fails the project too.
 */
public enum ProjectStatus {
    PENDING, SETTING_UP, READY, FAILED;

    public enum Action { SETUP, SETUP_DONE, SETUP_FAILED }

    public static final TransitionTable<ProjectStatus, Action> TABLE =
            TransitionTable.of("project", ProjectStatus.class, Action.class)
                    .on(PENDING, Action.SETUP, SETTING_UP)
                    .on(PENDING, Action.SETUP_FAILED, FAILED)
                    .on(SETTING_UP, Action.SETUP_DONE, READY)
                    .on(SETTING_UP, Action.SETUP_FAILED, FAILED)
                    .on(READY, Action.SETUP, SETTING_UP)
                    .on(FAILED, Action.SETUP, SETTING_UP)
                    .build();

    @JsonValue
    public String api() { return name().toLowerCase(Locale.ROOT); }

    public static ProjectStatus parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }

    public ProjectStatus next(Action action) {
        return TABLE.next(this, action, a -> a == Action.SETUP);
    }
}
