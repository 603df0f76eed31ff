-- Group commit: finish several owned jobs and claim up to `fetch` new entries for the same worker.
-- ARGV: ns, worker, now, fetch, then (entry id, job id) pairs.
-- Returns one '1'/'0' (applied) per pair, then the newly started records, flattened.
local worker, now, fetch = ARGV[2], ARGV[3], tonumber(ARGV[4])
local out = {}
finish_owned(5, #ARGV, worker, now, out)
if fetch > 0 then
  local entries, ids = read_new(worker, fetch)
  start_entries(entries, ids, worker, now, out)
end
return out
