-- Shared prelude, prepended to every queue script. ARGV[1] is the key namespace.
local P = ARGV[1]
local STREAM = P .. ':stream:default'
local GROUP = 'workers'
local FIELDS = {'job_id', 'job_type', 'project_id', 'protocol_run_id', 'step_run_id', 'attempt',
  'max_attempts', 'request_id', 'enqueued_at', 'entry_id', 'status', 'started_at', 'finished_at',
  'worker_id', 'last_error'}
local function jobkey(id) return P .. ':job:' .. id end
local function idx(status) return P .. ':idx:' .. status end
local function record(id) return redis.call('HMGET', jobkey(id), unpack(FIELDS)) end
local function append(out, values) for i = 1, #values do out[#out + 1] = values[i] end end
local function move(id, from, to, score)
  redis.call('ZREM', idx(from), id)
  redis.call('ZADD', idx(to), score, id)
end
local function owned(id, worker, entry)
  local v = redis.call('HMGET', jobkey(id), 'status', 'worker_id', 'entry_id')
  return v[1] == 'started' and v[2] == worker and v[3] == entry
end
local function drop_entry(entry)
  redis.call('XACK', STREAM, GROUP, entry)
  redis.call('XDEL', STREAM, entry)
end
local function enqueue(id)
  if redis.call('EXISTS', STREAM) == 0 then
    redis.call('XGROUP', 'CREATE', STREAM, GROUP, '0', 'MKSTREAM')
  end
  local entry = redis.call('XADD', STREAM, '*', 'job_id', id)
  redis.call('HSET', jobkey(id), 'status', 'queued', 'entry_id', entry, 'worker_id', '')
  return entry
end
-- Marks a freshly read entry started by worker; stale entries (job already elsewhere) are dropped.
local function start_entry(entry, id, worker, now)
  local v = redis.call('HMGET', jobkey(id), 'status', 'entry_id')
  if v[1] == 'queued' and v[2] == entry then
    redis.call('HSET', jobkey(id), 'status', 'started', 'started_at', now, 'worker_id', worker)
    move(id, 'queued', 'started', now)
    return record(id)
  end
  drop_entry(entry)
  return nil
end
