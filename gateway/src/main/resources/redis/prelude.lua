-- Put before every script RedisScripts runs (except client-limit-check.lua), so that they read the clock and treat
-- a foreign key alike. Only the server's clock is read, so replicas whose clocks disagree still agree in Redis.
redis.replicate_commands()

-- The Redis server's clock, in µs.
local function server_now()
  local clock = redis.call('TIME')
  return tonumber(clock[1]) * 1000000 + tonumber(clock[2])
end

-- Deletes KEYS[1] when it holds a value of another type than `expected` (something no script of ours wrote);
-- true when it did.
local function cleared_unless(expected)
  local kind = redis.call('TYPE', KEYS[1])['ok']
  if kind ~= expected and kind ~= 'none' then
    redis.call('DEL', KEYS[1])
    return true
  end
  return false
end

