-- Leases up to ARGV[3] permits from one provider instance's quota, shared by every replica.
-- KEYS[1]  the instance's sliding log: a sorted set of leased permits scored by the Redis server's clock (µs)
-- ARGV[1]  permits per window
-- ARGV[2]  the window in µs (the provider's second, the jitter guard, and the lease's validity)
-- ARGV[3]  permits wanted
-- ARGV[4]  a prefix unique to this lease, for the members
-- ARGV[5]  '1' to record the permits even over the limit: calls a replica started on its local share while it
--          could not ask (so that replicas still sharing see them), never to start new ones
-- Returns {granted, µs until a permit frees}: {n, 0} with n >= 1, or {0, wait}; with a third element 'log' when
-- the log held something this script never writes, which it ignored: a key of another type (deleted), or entries
-- stamped more than a window after now (removed: this script stamps `now`, so only a foreign writer, or a server
-- clock stepped back by more than a window, leaves them; kept, they would block the quota for as long as it is used).
-- Only the server's clock is read, so replicas whose clocks disagree still share one window.
-- (server_now and cleared_unless: prelude.lua)
local now = server_now()
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local ignored = nil
if cleared_unless('zset') then
  ignored = 'log'
end
-- string.format, not tostring: Lua prints numbers with 14 digits, and a µs clock has 16.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - window))
if redis.call('ZREMRANGEBYSCORE', KEYS[1], string.format('(%d', now + window), '+inf') > 0 then
  ignored = 'log'
end
local count = redis.call('ZCARD', KEYS[1])
local free = limit - count
if ARGV[5] == '1' then
  free = tonumber(ARGV[3])
end
if free <= 0 then
  -- Recorded calls can push the log past the limit: a permit frees when the entry at (count - limit) ages out.
  local freeing = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  return {0, math.max(1, tonumber(freeing[2]) + window - now), ignored}
end
local granted = math.min(free, tonumber(ARGV[3]))
local entries = {}
for i = 1, granted do
  entries[#entries + 1] = string.format('%d', now)
  entries[#entries + 1] = ARGV[4] .. ':' .. i
end
redis.call('ZADD', KEYS[1], unpack(entries))
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
return {granted, 0, ignored}
