-- Issue 23: workers without a shared disk. An engine run's log is kept in the database at the run's end (its last
-- 64 KiB: log_tail, and whether earlier output was cut: log_truncated), so that any process serves it; the file
-- under the worker's workspace (log_path) is only the live log while the run goes on.
ALTER TABLE engine_runs ADD COLUMN log_tail TEXT;
ALTER TABLE engine_runs ADD COLUMN log_truncated INTEGER NOT NULL DEFAULT 0;
