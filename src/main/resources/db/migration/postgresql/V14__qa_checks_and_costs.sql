-- Evidence-backed QA and cost budgets.
-- checks: JSON list of {name, command, timeout_seconds}; budget: JSON object of limits.
ALTER TABLE projects ADD COLUMN checks TEXT;
ALTER TABLE projects ADD COLUMN budget TEXT;
-- a protocol's own checks (override the project's), its raised limits and why it is paused for budget
ALTER TABLE protocol_runs ADD COLUMN checks TEXT;
ALTER TABLE protocol_runs ADD COLUMN max_tokens BIGINT;
ALTER TABLE protocol_runs ADD COLUMN max_cost_usd DOUBLE PRECISION;
ALTER TABLE protocol_runs ADD COLUMN budget_hold TEXT;
-- the checks' results of the step's last QA, and what decided its verdict (checks, agent, human)
ALTER TABLE step_runs ADD COLUMN qa_checks TEXT;
ALTER TABLE step_runs ADD COLUMN qa_verdict_source TEXT;
-- cached input tokens (part of tokens_in) and where cost_usd came from (reported, price_table, unpriced)
ALTER TABLE engine_runs ADD COLUMN tokens_cached BIGINT NOT NULL DEFAULT 0;
ALTER TABLE engine_runs ADD COLUMN cost_source TEXT;
CREATE INDEX ix_engine_runs_started ON engine_runs (started_at);
