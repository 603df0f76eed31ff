-- Issue 22: the status comment the service keeps on an intake protocol's issue (and on its PR/MR), edited in
-- place. wanted_seq counts the protocol's events, posted_seq the last one a written comment showed; queued_at
-- says a status_comment_job is on its way (at most one at a time; one queued long ago counts as lost), so an
-- event either finds that job or queues the next one (always one after the last event).
CREATE TABLE status_comments (
    protocol_run_id    BIGINT  PRIMARY KEY REFERENCES protocol_runs(id),
    issue_comment_id   BIGINT,
    change_comment_id  BIGINT,
    change_number      BIGINT,
    wanted_seq         BIGINT  NOT NULL DEFAULT 0,
    posted_seq         BIGINT  NOT NULL DEFAULT 0,
    posted_at          BIGINT,
    writes             INTEGER NOT NULL DEFAULT 0,
    queued_at          BIGINT,
    last_error         TEXT
);

-- Issue 22: the issues an intake protocol waits for ("blocked by #N", "depends on #N"): a JSON array of
-- issue numbers still open when it was last looked at; NULL when it waits for nothing.
ALTER TABLE protocol_runs ADD COLUMN waiting_for TEXT;
