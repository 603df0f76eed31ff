-- Park an owned job in the delayed set until due, attempt + 1 (+ 0 when ARGV[8] is '0': a usage
-- limit waits without spending an attempt).
-- ARGV: ns, worker, now, entry, job id, due at (ms), error[, attempt increment]. Returns 1 if applied.
local worker, entry, id = ARGV[2], ARGV[4], ARGV[5]
if not owned(id, worker, entry) then return 0 end
drop_entry(entry)
redis.call('HINCRBY', jobkey(id), 'attempt', tonumber(ARGV[8] or '1'))
redis.call('HSET', jobkey(id), 'status', 'delayed', 'worker_id', '', 'entry_id', '', 'last_error', ARGV[7])
move(id, 'started', 'delayed', ARGV[6])
return 1
