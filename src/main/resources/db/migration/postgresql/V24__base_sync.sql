-- Issue 23 (part two): protocols that stay mergeable. projects.sync_mode is the project's `sync` setting
-- ('merge', 'rebase' or 'off'; NULL: merge). base_syncs holds each protocol's pending update from its base branch:
-- 'waiting' for its project's turn, 'syncing' (a sync_base_job) or 'fixing' (a conflict_fix_job, attempts spent so far,
-- the conflicted files); again = 1 when the base moved once more meanwhile, open_pr = 1 when an open_pr_job waits for it.
-- base_sync_slots is the one turn per project (repository): the protocol whose sync or conflict fix runs now.
ALTER TABLE projects ADD COLUMN sync_mode TEXT;

CREATE TABLE base_syncs (
    protocol_run_id  BIGINT PRIMARY KEY REFERENCES protocol_runs(id),
    project_id       BIGINT  NOT NULL REFERENCES projects(id),
    state            TEXT    NOT NULL,
    reason           TEXT    NOT NULL,
    open_pr          INTEGER NOT NULL DEFAULT 0,
    again            INTEGER NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0,
    files            TEXT    NOT NULL DEFAULT '[]',
    requested_at     BIGINT  NOT NULL
);
CREATE INDEX ix_base_syncs_project ON base_syncs (project_id, state, protocol_run_id);

CREATE TABLE base_sync_slots (
    project_id       BIGINT PRIMARY KEY REFERENCES projects(id),
    protocol_run_id  BIGINT NOT NULL,
    claimed_at       BIGINT NOT NULL
);
