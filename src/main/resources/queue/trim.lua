-- Forget finished and failed records older than the cutoff or beyond the newest max.
-- ARGV: ns, cutoff (ms), max. Returns how many records were removed.
local removed = 0
for _, status in ipairs({'finished', 'failed'}) do
  local ids = redis.call('ZRANGEBYSCORE', idx(status), '-inf', ARGV[2], 'LIMIT', 0, 1000)
  local n = redis.call('ZCARD', idx(status)) - #ids
  local over = n - tonumber(ARGV[3])
  if over > 0 then
    local extra = redis.call('ZRANGE', idx(status), #ids, #ids + math.min(over, 1000) - 1)
    append(ids, extra)
  end
  for _, id in ipairs(ids) do
    redis.call('DEL', jobkey(id))
    redis.call('ZREM', idx(status), id)
  end
  removed = removed + #ids
end
return removed
