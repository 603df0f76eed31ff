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
-- Marks freshly read entries (entries[i] of job ids[i]) started by worker and appends their records to out;
-- stale entries (the job is already elsewhere, or gone) are dropped. One HMGET and one HSET per job, the
-- index moves and the stale acks once for all. Returns how many were started.
local function start_entries(entries, ids, worker, now, out)
  local started, scores, stale = {}, {}, {}
  for i = 1, #entries do
    local id = ids[i]
    local rec = redis.call('HMGET', jobkey(id), unpack(FIELDS))
    if rec[11] == 'queued' and rec[10] == entries[i] then
      redis.call('HSET', jobkey(id), 'status', 'started', 'started_at', now, 'worker_id', worker)
      rec[11], rec[12], rec[14] = 'started', now, worker
      append(out, rec)
      started[#started + 1] = id
      scores[#scores + 1] = now
      scores[#scores + 1] = id
    else
      stale[#stale + 1] = entries[i]
    end
  end
  if #started > 0 then
    redis.call('ZREM', idx('queued'), unpack(started))
    redis.call('ZADD', idx('started'), unpack(scores))
  end
  if #stale > 0 then
    redis.call('XACK', STREAM, GROUP, unpack(stale))
    redis.call('XDEL', STREAM, unpack(stale))
  end
  return #started
end
-- Reads up to count new entries for worker (non-blocking). Returns their entry ids and job ids (entries
-- without a job id are dropped), and how many entries were read.
local function read_new(worker, count)
  local entries, ids = {}, {}
  local res = redis.pcall('XREADGROUP', 'GROUP', GROUP, worker, 'COUNT', count, 'STREAMS', STREAM, '>')
  if type(res) ~= 'table' or res.err or #res == 0 then return entries, ids, 0 end
  for _, e in ipairs(res[1][2]) do
    local fields, id = e[2], nil
    for k = 1, #fields, 2 do if fields[k] == 'job_id' then id = fields[k + 1] end end
    if id == nil then
      drop_entry(e[1])
    else
      entries[#entries + 1] = e[1]
      ids[#ids + 1] = id
    end
  end
  return entries, ids, #res[1][2]
end
-- Finishes the owned jobs among the (entry, job id) pairs ARGV[from], ARGV[from + 1] ... ARGV[to]: one flag per pair
-- ('1' applied, '0' not owned any more) appended to out; the acks and index moves once for all.
local function finish_owned(from, to, worker, now, out)
  local entries, ids, scores = {}, {}, {}
  for i = from, to, 2 do
    local entry, id = ARGV[i], ARGV[i + 1]
    if owned(id, worker, entry) then
      redis.call('HSET', jobkey(id), 'status', 'finished', 'finished_at', now)
      entries[#entries + 1] = entry
      ids[#ids + 1] = id
      scores[#scores + 1] = now
      scores[#scores + 1] = id
      out[#out + 1] = '1'
    else
      out[#out + 1] = '0'
    end
  end
  if #entries > 0 then
    redis.call('XACK', STREAM, GROUP, unpack(entries))
    redis.call('XDEL', STREAM, unpack(entries))
    redis.call('ZREM', idx('started'), unpack(ids))
    redis.call('ZADD', idx('finished'), unpack(scores))
  end
end
