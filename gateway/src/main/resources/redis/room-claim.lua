-- One replica's turn to fetch a room for every replica, or the answer another one already stored.
-- KEYS[1]  the stored answer (a hash: at = server time in µs when stored, until = server time in µs when it stops
--          being valid, body)
-- KEYS[2]  the lease of the replica fetching it
-- ARGV[1]  this claim's holder id
-- ARGV[2]  the lease's length in ms
-- Returns {'answer', age in ms, body}, {'lead'} (this claim now holds the lease) or {'wait', lease ms left}.
-- A stored value that is not ours to trust is ignored as if absent, and its kind added to the reply ({'lead',
-- 'answer'}, {'wait', ms, 'answer'}, {'lead', 'lease'}) for the caller to count: an answer that is not a hash, lacks
-- a field, has timestamps that do not parse, or whose own timestamps say it is not valid now (stored in the future,
-- or past its `until` because its expiry was lost) is deleted; a lease that never expires, or is longer than any
-- lease, is taken over.
-- (server_now: prelude.lua)
local now = server_now()
local ignored = nil
local kind = redis.call('TYPE', KEYS[1])['ok']
if kind == 'hash' then
  local stored = redis.call('HMGET', KEYS[1], 'at', 'until', 'body')
  local at = tonumber(stored[1])
  local valid = tonumber(stored[2])
  if stored[3] and at and valid and at <= now and now < valid then
    return {'answer', string.format('%d', math.floor((now - at) / 1000)), stored[3]}
  end
  ignored = 'answer'
  redis.call('DEL', KEYS[1])
elseif kind ~= 'none' then
  ignored = 'answer'
  redis.call('DEL', KEYS[1])
end
local left = redis.call('PTTL', KEYS[2])
if left == -1 or left > tonumber(ARGV[2])
    or (left >= 0 and redis.call('TYPE', KEYS[2])['ok'] ~= 'string') then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
  return {'lead', 'lease'}
end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {'lead', ignored}
end
return {'wait', tostring(left), ignored}
