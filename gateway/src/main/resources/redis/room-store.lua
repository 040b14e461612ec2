-- Stores a fetched answer for the other replicas, and ends this replica's lease if it still holds it.
-- KEYS[1]  the answer (hash), KEYS[2] the lease
-- ARGV[1]  the answer's body, or '' when the fetch failed (then only the lease ends)
-- ARGV[2]  how long the answer stays, in ms
-- ARGV[3]  the holder id that took the lease
redis.replicate_commands()
if ARGV[1] ~= '' then
  local clock = redis.call('TIME')
  local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
  redis.call('HSET', KEYS[1], 'at', string.format('%d', now), 'body', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('DEL', KEYS[2])
end
return 1
