-- Mark freshly read stream entries as started by this worker; stale entries are dropped.
-- ARGV: ns, worker, now, then (entry id, job id) pairs. Returns the started records, flattened.
local worker, now = ARGV[2], ARGV[3]
local out = {}
for i = 4, #ARGV, 2 do
  local rec = start_entry(ARGV[i], ARGV[i + 1], worker, now)
  if rec then append(out, rec) end
end
return out
