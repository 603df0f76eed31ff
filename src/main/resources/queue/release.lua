-- Hand owned jobs back to the queue unchanged (graceful shutdown). ARGV: ns, worker, now, pairs.
local worker, now = ARGV[2], ARGV[3]
local n = 0
for i = 4, #ARGV, 2 do
  local entry, id = ARGV[i], ARGV[i + 1]
  if owned(id, worker, entry) then
    drop_entry(entry)
    enqueue(id)
    move(id, 'started', 'queued', now)
    n = n + 1
  end
end
return n
