-- Issue 20: what a project's agents may reach on the network (a JSON list of allow-list entries);
-- NULL means DEKSDENFLOW_AGENT_EGRESS.
ALTER TABLE projects ADD COLUMN agent_egress TEXT;
