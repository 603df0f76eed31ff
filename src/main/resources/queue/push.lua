-- Enqueue jobs, idempotent by job id. ARGV: ns, now, then 9 values per job.
local now = ARGV[2]
local added = 0
for i = 3, #ARGV, 9 do
  local id = ARGV[i]
  if redis.call('EXISTS', jobkey(id)) == 0 then
    redis.call('HSET', jobkey(id), 'job_id', id, 'job_type', ARGV[i + 1], 'project_id', ARGV[i + 2],
      'protocol_run_id', ARGV[i + 3], 'step_run_id', ARGV[i + 4], 'attempt', ARGV[i + 5],
      'max_attempts', ARGV[i + 6], 'request_id', ARGV[i + 7], 'enqueued_at', ARGV[i + 8],
      'started_at', '', 'finished_at', '', 'last_error', '')
    enqueue(id)
    redis.call('ZADD', idx('queued'), now, id)
    added = added + 1
  end
end
return added
