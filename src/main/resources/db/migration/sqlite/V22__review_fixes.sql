-- Issue 22: answering reviews. review_waits holds, per protocol, the review comments' debounce window (due_at
-- moves with each new comment) and whether a review_fix_job is on its way (queued_at); review_fixes one row per
-- fix turn: the fingerprint of the comment set it answered (unique per protocol: the same comments never start a
-- second turn), the comments' keys, its attempt number, status and pushed commit.
CREATE TABLE review_waits (
    protocol_run_id  INTEGER PRIMARY KEY REFERENCES protocol_runs(id),
    pr_number        INTEGER NOT NULL,
    due_at           INTEGER NOT NULL,
    queued_at        INTEGER
);

CREATE TABLE review_fixes (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    protocol_run_id  INTEGER NOT NULL REFERENCES protocol_runs(id),
    pr_number        INTEGER NOT NULL,
    fingerprint      TEXT    NOT NULL,
    attempt          INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    comments         TEXT    NOT NULL DEFAULT '[]',
    sha              TEXT,
    summary          TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (protocol_run_id, fingerprint)
);
CREATE INDEX ix_review_fixes_run ON review_fixes (protocol_run_id, id);
