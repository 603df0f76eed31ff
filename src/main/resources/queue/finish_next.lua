-- Finish an owned job and, in the same round trip, take the next new entry for this worker.
-- ARGV: ns, worker, now, entry, job id, fetch (1|0).
-- Returns {applied (1|0), next record...} (just {applied} when there is no next job).
local worker, now, entry, id = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local out = {0}
if owned(id, worker, entry) then
  drop_entry(entry)
  redis.call('HSET', jobkey(id), 'status', 'finished', 'finished_at', now)
  move(id, 'started', 'finished', now)
  out[1] = 1
end
if ARGV[6] == '1' then
  for _ = 1, 5 do
    local res = redis.pcall('XREADGROUP', 'GROUP', GROUP, worker, 'COUNT', 1, 'STREAMS', STREAM, '>')
    if type(res) ~= 'table' or res.err or #res == 0 or #res[1][2] == 0 then break end
    local e = res[1][2][1]
    local fields, next_id = e[2], nil
    for k = 1, #fields, 2 do if fields[k] == 'job_id' then next_id = fields[k + 1] end end
    if next_id == nil then
      drop_entry(e[1])
    else
      local rec = start_entry(e[1], next_id, worker, now)
      if rec then
        append(out, rec)
        break
      end
    end
  end
end
return out
