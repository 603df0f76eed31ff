-- Dead-letter an owned job; a non-empty ARGV[7] becomes its max_attempts (its type's policy).
-- ARGV: ns, worker, now, entry, job id, error[, max attempts]. Returns 1 if applied.
local worker, now, entry, id = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if not owned(id, worker, entry) then return 0 end
drop_entry(entry)
redis.call('HSET', jobkey(id), 'status', 'failed', 'finished_at', now, 'last_error', ARGV[6])
if ARGV[7] and ARGV[7] ~= '' then redis.call('HSET', jobkey(id), 'max_attempts', ARGV[7]) end
move(id, 'started', 'failed', now)
return 1
