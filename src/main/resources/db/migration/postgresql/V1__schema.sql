-- Timestamps are epoch milliseconds (UTC) on both databases; the API renders them as ISO-8601.
CREATE TABLE projects (
    id                  BIGSERIAL PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE,
    git_url             TEXT    NOT NULL,
    base_branch         TEXT    NOT NULL,
    ci_provider         TEXT,
    default_engine      TEXT,
    default_models      TEXT    NOT NULL DEFAULT '{}',
    secrets             TEXT    NOT NULL DEFAULT '{}',
    project_token_hash  TEXT,
    status              TEXT    NOT NULL,
    local_path          TEXT,
    last_error          TEXT,
    version             INTEGER NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);

CREATE TABLE protocol_runs (
    id              BIGSERIAL PRIMARY KEY,
    project_id      BIGINT NOT NULL REFERENCES projects(id),
    protocol_name   TEXT    NOT NULL,
    description     TEXT,
    base_branch     TEXT    NOT NULL,
    engine          TEXT,
    auto_advance    BOOLEAN NOT NULL DEFAULT FALSE,
    status          TEXT    NOT NULL,
    paused_from     TEXT,
    worktree_path   TEXT,
    pr_url          TEXT,
    tokens_used     BIGINT NOT NULL DEFAULT 0,
    cost_usd        DOUBLE PRECISION,
    exec_seq        BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    version         INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (project_id, protocol_name)
);
CREATE INDEX ix_protocol_runs_project ON protocol_runs (project_id, id);
CREATE INDEX ix_protocol_runs_status ON protocol_runs (status);

CREATE TABLE step_runs (
    id                BIGSERIAL PRIMARY KEY,
    protocol_run_id   BIGINT NOT NULL REFERENCES protocol_runs(id),
    step_index        INTEGER NOT NULL,
    step_name         TEXT    NOT NULL,
    step_type         TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    engine            TEXT,
    model             TEXT,
    tokens_used       BIGINT NOT NULL DEFAULT 0,
    cost_usd          DOUBLE PRECISION,
    qa_verdict        TEXT,
    qa_report         TEXT,
    execution_commit  TEXT,
    executed_seq      BIGINT,
    last_error        TEXT,
    started_at        BIGINT,
    finished_at       BIGINT,
    version           INTEGER NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (protocol_run_id, step_index),
    UNIQUE (protocol_run_id, step_name)
);
CREATE INDEX ix_step_runs_commit ON step_runs (execution_commit);

CREATE TABLE events (
    id               BIGSERIAL PRIMARY KEY,
    project_id       BIGINT NOT NULL REFERENCES projects(id),
    protocol_run_id  BIGINT REFERENCES protocol_runs(id),
    step_run_id      BIGINT REFERENCES step_runs(id),
    event_type       TEXT    NOT NULL,
    message          TEXT    NOT NULL,
    metadata         TEXT    NOT NULL DEFAULT '{}',
    request_id       TEXT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX ix_events_project ON events (project_id, id);
CREATE INDEX ix_events_protocol ON events (protocol_run_id, id);

CREATE TABLE engine_runs (
    id                BIGSERIAL PRIMARY KEY,
    step_run_id       BIGINT REFERENCES step_runs(id),
    protocol_run_id   BIGINT NOT NULL REFERENCES protocol_runs(id),
    job_id            TEXT,
    phase             TEXT    NOT NULL,
    engine            TEXT    NOT NULL,
    model             TEXT,
    started_at        BIGINT NOT NULL,
    finished_at       BIGINT,
    exit_code         INTEGER,
    tokens_in         BIGINT NOT NULL DEFAULT 0,
    tokens_out        BIGINT NOT NULL DEFAULT 0,
    tokens_estimated  BOOLEAN NOT NULL DEFAULT FALSE,
    cost_usd          DOUBLE PRECISION,
    log_path          TEXT,
    error             TEXT
);
CREATE INDEX ix_engine_runs_step ON engine_runs (step_run_id, id);
CREATE INDEX ix_engine_runs_protocol ON engine_runs (protocol_run_id, id);

-- Transactional outbox: a job row commits with the state change that asked for it; the relay
-- route pushes pending rows to Redis and marks them sent.
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    job_id      TEXT    NOT NULL UNIQUE,
    job_type    TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    created_at  BIGINT NOT NULL,
    sent_at     BIGINT
);
CREATE INDEX ix_outbox_status ON outbox (status, id);
