-- Issue 22: the forge issue a protocol was taken in from (intake); NULL for a protocol created otherwise.
-- One protocol per issue and project: the intake inserts and treats a violation of the index as "exists".
ALTER TABLE protocol_runs ADD COLUMN issue_number INTEGER;
ALTER TABLE protocol_runs ADD COLUMN issue_url TEXT;
CREATE UNIQUE INDEX ux_protocol_runs_issue ON protocol_runs (project_id, issue_number) WHERE issue_number IS NOT NULL;
