-- Heartbeat: reset the idle time of entries this worker still owns. ARGV: ns, worker, pairs.
-- Returns the job ids whose lease was lost (taken over or handed back).
local worker = ARGV[2]
local lost = {}
for i = 3, #ARGV, 2 do
  local entry, id = ARGV[i], ARGV[i + 1]
  if owned(id, worker, entry) then
    redis.call('XCLAIM', STREAM, GROUP, worker, 0, entry, 'JUSTID')
  else
    lost[#lost + 1] = id
  end
end
return lost
