-- Issue 22: how a project takes work from its forge's issues (a JSON object: label, auto_start,
-- engines?, checks?); NULL means the project takes none.
ALTER TABLE projects ADD COLUMN intake TEXT;
