-- Issue 24: plan approval. plan_approval is 'required' or 'auto' (NULL on a project: auto; NULL on a
-- protocol: its project's). plan_feedback is the reviewer's feedback of the last reject_plan, read by the
-- next planning run and cleared when it has planned; replans counts the rejections (DEKSDENFLOW_REPLAN_ATTEMPTS).
ALTER TABLE projects ADD COLUMN plan_approval TEXT;
ALTER TABLE protocol_runs ADD COLUMN plan_approval TEXT;
ALTER TABLE protocol_runs ADD COLUMN plan_feedback TEXT;
ALTER TABLE protocol_runs ADD COLUMN replans INTEGER NOT NULL DEFAULT 0;
-- Issue 24: questions from the agent. questions is the step's JSON list of {question, answer, asked_at,
-- answered_at} (oldest first); blocked_reason says why a blocked step waits ('needs_input': an open question).
ALTER TABLE step_runs ADD COLUMN questions TEXT;
ALTER TABLE step_runs ADD COLUMN blocked_reason TEXT;
