-- Run when a client's bucket answered oddly (Spring Cloud Gateway's request_rate_limiter.lua failed, or reported
-- tokens it cannot hold): clears the bucket if it holds a value that script never writes, so the next call starts
-- a full bucket instead of failing (a key of another type fails it on every call) or refusing for long.
-- KEYS[1]  the bucket's tokens, KEYS[2] its timestamp (server seconds)
-- ARGV[1]  the bucket's capacity (burst)
-- Returns 1 when the bucket was malformed and is now cleared, 0 when it was fine (the odd answer was Redis's).
redis.replicate_commands()
local now = tonumber(redis.call('TIME')[1])
local limits = {tonumber(ARGV[1]), now + 1}
for i = 1, 2 do
  local kind = redis.call('TYPE', KEYS[i])['ok']
  local bad = kind ~= 'none' and kind ~= 'string'
  if kind == 'string' then
    local value = tonumber(redis.call('GET', KEYS[i]))
    bad = value == nil or value ~= value or value < 0 or value > limits[i]
  end
  if bad then
    redis.call('DEL', KEYS[1], KEYS[2])
    return 1
  end
end
return 0
