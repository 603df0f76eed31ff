-- Park an owned job in the delayed set until due, attempt + 1 (+ 0 when ARGV[8] is '0': a usage
-- limit waits without spending an attempt); a non-empty ARGV[9] becomes its max_attempts (its type's policy).
-- ARGV: ns, worker, now, entry, job id, due at (ms), error[, attempt increment[, max attempts]]. Returns 1 if applied.
local worker, entry, id = ARGV[2], ARGV[4], ARGV[5]
if not owned(id, worker, entry) then return 0 end
drop_entry(entry)
redis.call('HINCRBY', jobkey(id), 'attempt', tonumber(ARGV[8] or '1'))
redis.call('HSET', jobkey(id), 'status', 'delayed', 'worker_id', '', 'entry_id', '', 'last_error', ARGV[7])
if ARGV[9] and ARGV[9] ~= '' then redis.call('HSET', jobkey(id), 'max_attempts', ARGV[9]) end
move(id, 'started', 'delayed', ARGV[6])
return 1
