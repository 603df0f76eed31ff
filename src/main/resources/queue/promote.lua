-- Move due delayed retries back onto the stream. ARGV: ns, now, limit.
local now = ARGV[2]
local ids = redis.call('ZRANGEBYSCORE', idx('delayed'), '-inf', now, 'LIMIT', 0, ARGV[3])
for _, id in ipairs(ids) do
  enqueue(id)
  move(id, 'delayed', 'queued', now)
end
return #ids
