-- Issue 24: notification channels per project and the delivery log.
-- notify_channels.channels: the project's channel list as JSON, encrypted (SecretsCipher) because it holds
-- webhook URLs, signing secrets and Slack webhook URLs. No row: the global DEKSDENFLOW_NOTIFICATIONS.
CREATE TABLE notify_channels (
    project_id  INTEGER PRIMARY KEY REFERENCES projects(id),
    channels    TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
);
-- One row per (event, channel): written with the event, in its transaction, with the notify_job's id.
-- channel: the channel as it was at the event (encrypted JSON); channel_key: a stable digest of the channel's
-- destination; message_id: the webhook-id, the same on every attempt.
CREATE TABLE notify_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id       INTEGER NOT NULL REFERENCES projects(id),
    protocol_run_id  INTEGER,
    step_run_id      INTEGER,
    event_id         INTEGER NOT NULL,
    kind             TEXT    NOT NULL,
    channel_type     TEXT    NOT NULL,
    channel_key      TEXT    NOT NULL,
    channel_label    TEXT    NOT NULL,
    channel          TEXT    NOT NULL,
    message_id       TEXT    NOT NULL,
    job_id           TEXT    NOT NULL UNIQUE,
    status           TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    last_status_code INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    delivered_at     INTEGER
);
CREATE UNIQUE INDEX ux_notify_deliveries_event_channel ON notify_deliveries (event_id, channel_key);
CREATE INDEX ix_notify_deliveries_project ON notify_deliveries (project_id, id);
