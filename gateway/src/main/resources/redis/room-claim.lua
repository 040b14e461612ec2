-- One replica's turn to fetch a room for every replica, or the answer another one already stored.
-- KEYS[1]  the stored answer (a hash: at = server time in µs, body)
-- KEYS[2]  the lease of the replica fetching it
-- ARGV[1]  this claim's holder id
-- ARGV[2]  the lease's length in ms
-- Returns {'answer', age in ms, body}, {'lead'} (this claim now holds the lease) or {'wait', lease ms left}.
redis.replicate_commands()
local stored = redis.call('HMGET', KEYS[1], 'at', 'body')
if stored[1] and stored[2] then
  local clock = redis.call('TIME')
  local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
  return {'answer', tostring(math.max(0, math.floor((now - tonumber(stored[1])) / 1000))), stored[2]}
end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {'lead'}
end
return {'wait', tostring(redis.call('PTTL', KEYS[2]))}
