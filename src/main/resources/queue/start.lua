-- Mark freshly read stream entries as started by this worker; stale entries are dropped.
-- ARGV: ns, worker, now, then (entry id, job id) pairs. Returns the started records, flattened.
local worker, now = ARGV[2], ARGV[3]
local out = {}
for i = 4, #ARGV, 2 do
  local entry, id = ARGV[i], ARGV[i + 1]
  local v = redis.call('HMGET', jobkey(id), 'status', 'entry_id')
  if v[1] == 'queued' and v[2] == entry then
    redis.call('HSET', jobkey(id), 'status', 'started', 'started_at', now, 'worker_id', worker)
    move(id, 'queued', 'started', now)
    append(out, record(id))
  else
    drop_entry(entry)
  end
end
return out
