-- Finish an owned job and, in the same round trip, take the next new entry for this worker.
-- ARGV: ns, worker, now, entry, job id, fetch (1|0).
-- Returns {applied (1|0), next record...} (just {applied} when there is no next job).
local worker, now = ARGV[2], ARGV[3]
local flags, out = {}, {}
finish_owned(4, 5, worker, now, flags)
out[1] = flags[1] == '1' and 1 or 0
if ARGV[6] == '1' then
  for _ = 1, 5 do
    local entries, ids, read = read_new(worker, 1)
    if read == 0 then break end
    if start_entries(entries, ids, worker, now, out) > 0 then break end
  end
end
return out
