-- Stores a fetched answer for the other replicas, and ends this replica's lease if it still holds it.
-- KEYS[1]  the answer (hash), KEYS[2] the lease
-- ARGV[1]  the answer's body, or '' when the fetch failed (then only the lease ends)
-- ARGV[2]  how long the answer stays, in ms
-- ARGV[3]  the holder id that took the lease
-- The answer is written whole (DEL first), so no field of an earlier or foreign value survives, with the server
-- times it was stored at and stops being valid at: room-claim.lua trusts it only between the two.
-- (server_now: prelude.lua)
if ARGV[1] ~= '' then
  local now = server_now()
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'at', string.format('%d', now), 'until',
      string.format('%d', now + tonumber(ARGV[2]) * 1000), 'body', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if redis.call('TYPE', KEYS[2])['ok'] == 'string' and redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('DEL', KEYS[2])
end
return 1
