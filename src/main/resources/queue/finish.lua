-- Final state for jobs this worker owns. ARGV: ns, worker, now, status (finished|failed), error,
-- then (entry id, job id) pairs. Returns the ids that were applied.
local worker, now, status, err = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local done = {}
for i = 6, #ARGV, 2 do
  local entry, id = ARGV[i], ARGV[i + 1]
  if owned(id, worker, entry) then
    drop_entry(entry)
    redis.call('HSET', jobkey(id), 'status', status, 'finished_at', now)
    if status == 'failed' then redis.call('HSET', jobkey(id), 'last_error', err) end
    move(id, 'started', status, now)
    done[#done + 1] = id
  end
end
return done
