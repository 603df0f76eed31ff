-- Take over entries whose holder stopped renewing its lease (idle >= lease), attempt + 1;
-- past max_attempts the job is dead-lettered. An entry read but never marked started (its reader stopped
-- between the read and start.lua) starts here with the same attempt. ARGV: ns, worker, now, min idle ms, count.
-- Returns flattened ('C'|'D', record...) groups: C = now held by this worker, D = dead letter.
local worker, now = ARGV[2], ARGV[3]
if redis.call('EXISTS', STREAM) == 0 then return {} end
local res = redis.call('XAUTOCLAIM', STREAM, GROUP, worker, ARGV[4], '0-0', 'COUNT', ARGV[5])
local out = {}
for _, e in ipairs(res[2]) do
  if type(e) == 'table' then
    local entry, fields, id = e[1], e[2], nil
    if type(fields) == 'table' then
      for k = 1, #fields, 2 do if fields[k] == 'job_id' then id = fields[k + 1] end end
    end
    if id == nil then
      redis.call('XACK', STREAM, GROUP, entry)
    else
      local v = redis.call('HMGET', jobkey(id), 'status', 'entry_id', 'worker_id', 'attempt', 'max_attempts')
      if v[1] == 'queued' and v[2] == entry then
        -- read by a worker that stopped before it marked the job started: the job never ran, so it starts
        -- here with the same attempt (XAUTOCLAIM made this worker the entry's holder)
        redis.call('HSET', jobkey(id), 'status', 'started', 'started_at', now, 'worker_id', worker)
        move(id, 'queued', 'started', now)
        out[#out + 1] = 'C'
        append(out, record(id))
      elseif not (v[1] == 'started' and v[2] == entry) then
        drop_entry(entry)
      elseif tonumber(v[4]) >= tonumber(v[5]) then
        redis.call('HSET', jobkey(id), 'status', 'failed', 'finished_at', now, 'worker_id', '',
          'last_error', 'lease expired: worker ' .. v[3] .. ' went silent on the last attempt')
        move(id, 'started', 'failed', now)
        drop_entry(entry)
        out[#out + 1] = 'D'
        append(out, record(id))
      else
        redis.call('HINCRBY', jobkey(id), 'attempt', 1)
        redis.call('HSET', jobkey(id), 'started_at', now, 'worker_id', worker,
          'last_error', 'lease expired: worker ' .. v[3] .. ' went silent')
        redis.call('ZADD', idx('started'), now, id)
        out[#out + 1] = 'C'
        append(out, record(id))
      end
    end
  end
end
return out
