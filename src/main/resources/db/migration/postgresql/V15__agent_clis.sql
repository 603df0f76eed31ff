-- Agent CLIs as first-class: the class of an engine run's failure, the commit a step's execution
-- started from (exactly-once step work), and engines per phase (project and protocol).
ALTER TABLE engine_runs ADD COLUMN error_class TEXT;
ALTER TABLE step_runs ADD COLUMN exec_start_commit TEXT;
ALTER TABLE projects ADD COLUMN default_engines TEXT NOT NULL DEFAULT '{}';
ALTER TABLE protocol_runs ADD COLUMN engines TEXT NOT NULL DEFAULT '{}';
