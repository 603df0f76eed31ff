-- The CI loop (docs/webhooks.md): what the service knows of each protocol branch on its forge, where each
-- step's work started, and the triage / re-run / fix attempts that followed CI failures.

-- The protocol branch's head as the service last pushed it (or a PR/MR update reported it), and the
-- number of the PR (GitHub) or iid of the MR (GitLab) the service opened for it.
CREATE TABLE ci_branches (
    protocol_run_id  INTEGER PRIMARY KEY REFERENCES protocol_runs(id),
    head_sha         TEXT,
    pr_number        INTEGER,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX ix_ci_branches_pr ON ci_branches (pr_number);

-- The worktree's HEAD when a step's execution started: the fix prompt's diff starts there.
CREATE TABLE ci_step_starts (
    step_run_id      INTEGER PRIMARY KEY REFERENCES step_runs(id),
    start_sha        TEXT    NOT NULL,
    updated_at       INTEGER NOT NULL
);

-- One row per CI failure the service acted on: kind 'rerun' (re-run of the failed jobs) or 'fix' (triage,
-- then an agent fix while attempts remain). At most one of each kind per failing head sha: a second
-- failure delivery for the same commit claims nothing.
CREATE TABLE ci_fixes (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    protocol_run_id  INTEGER NOT NULL REFERENCES protocol_runs(id),
    step_run_id      INTEGER REFERENCES step_runs(id),
    head_sha         TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    attempt          INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    ci_ref           TEXT    NOT NULL DEFAULT '{}',
    failures         TEXT    NOT NULL DEFAULT '[]',
    fix_sha          TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (protocol_run_id, head_sha, kind)
);
CREATE INDEX ix_ci_fixes_status ON ci_fixes (protocol_run_id, status, id);
CREATE INDEX ix_ci_fixes_step ON ci_fixes (step_run_id, kind);
