-- Issue 22: answering reviews. review_waits holds, per protocol, the review comments' debounce window (due_at
-- moves with each new comment) and whether a review_fix_job is on its way (queued_at); review_fixes one row per
-- fix turn: the fingerprint of the comment set it answered (unique per protocol: the same comments never start a
-- second turn), the comments' keys, its attempt number, status and pushed commit.
CREATE TABLE review_waits (
    protocol_run_id  BIGINT PRIMARY KEY REFERENCES protocol_runs(id),
    pr_number        BIGINT NOT NULL,
    due_at           BIGINT NOT NULL,
    queued_at        BIGINT
);

CREATE TABLE review_fixes (
    id               BIGSERIAL PRIMARY KEY,
    protocol_run_id  BIGINT NOT NULL REFERENCES protocol_runs(id),
    pr_number        BIGINT NOT NULL,
    fingerprint      TEXT    NOT NULL,
    attempt          INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    comments         TEXT    NOT NULL DEFAULT '[]',
    sha              TEXT,
    summary          TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (protocol_run_id, fingerprint)
);
CREATE INDEX ix_review_fixes_run ON review_fixes (protocol_run_id, id);
