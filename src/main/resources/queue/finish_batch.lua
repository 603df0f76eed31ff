-- Group commit: finish several owned jobs and claim up to `fetch` new entries for the same worker.
-- ARGV: ns, worker, now, fetch, then (entry id, job id) pairs.
-- Returns one '1'/'0' (applied) per pair, then the newly started records, flattened.
local worker, now, fetch = ARGV[2], ARGV[3], tonumber(ARGV[4])
local out = {}
for i = 5, #ARGV, 2 do
  local entry, id = ARGV[i], ARGV[i + 1]
  if owned(id, worker, entry) then
    drop_entry(entry)
    redis.call('HSET', jobkey(id), 'status', 'finished', 'finished_at', now)
    move(id, 'started', 'finished', now)
    out[#out + 1] = '1'
  else
    out[#out + 1] = '0'
  end
end
if fetch > 0 then
  local res = redis.pcall('XREADGROUP', 'GROUP', GROUP, worker, 'COUNT', fetch, 'STREAMS', STREAM, '>')
  if type(res) == 'table' and not res.err and #res > 0 then
    for _, e in ipairs(res[1][2]) do
      local fields, next_id = e[2], nil
      for k = 1, #fields, 2 do if fields[k] == 'job_id' then next_id = fields[k + 1] end end
      if next_id == nil then
        drop_entry(e[1])
      else
        local rec = start_entry(e[1], next_id, worker, now)
        if rec then append(out, rec) end
      end
    end
  end
end
return out
