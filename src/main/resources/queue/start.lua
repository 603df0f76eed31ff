-- Mark freshly read stream entries as started by this worker; stale entries are dropped.
-- ARGV: ns, worker, now, then (entry id, job id) pairs. Returns the started records, flattened.
local entries, ids = {}, {}
for i = 4, #ARGV, 2 do
  entries[#entries + 1] = ARGV[i]
  ids[#ids + 1] = ARGV[i + 1]
end
local out = {}
start_entries(entries, ids, ARGV[2], ARGV[3], out)
return out
