-- Records one replica's demand on a provider instance's shared quota and answers its allotment of the limit.
-- KEYS[1]  the instance's demand table: a hash of replica -> "interactive background iWeight bWeight expiresAt"
--          (calls per second wanted by interactive and by background work, the summed quota shares of the
--          clients behind each, and when the entry lapses on the Redis server's clock, µs)
-- ARGV[1]  permits per second of the instance, for all replicas together
-- ARGV[2]  this replica
-- ARGV[3..6] this replica's demand, as above
-- ARGV[7]  how long an entry counts without being renewed, µs (a replica that stopped gives its part back)
-- Returns {allotment, live replicas, 'table' when it removed entries this script never writes}.
-- The split is weighted water-filling, interactive work first: each replica's part of what is left is in
-- proportion to the weight of its clients; one that wants less than its part gets what it wants, and the rest is
-- split again among the others. Background work shares what interactive work left. Whatever nobody wants is split
-- evenly, so that a replica whose demand rises has room before the next round.
-- (server_now and cleared_unless: prelude.lua)
local now = server_now()
local limit = tonumber(ARGV[1])
local ignored = nil
if cleared_unless('hash') then
  ignored = 'table'
end
redis.call('HSET', KEYS[1], ARGV[2], table.concat({ARGV[3], ARGV[4], ARGV[5], ARGV[6],
  string.format('%d', now + tonumber(ARGV[7]))}, ' '))
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[7]) / 1000) + 1000)

local replicas = {}
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local values = {}
  for value in string.gmatch(entries[i + 1], '%S+') do
    values[#values + 1] = tonumber(value)
  end
  local readable = #values == 5
  for j = 1, #values do
    readable = readable and values[j] ~= nil and values[j] >= 0
  end
  if not readable then
    redis.call('HDEL', KEYS[1], entries[i])
    ignored = 'table'
  elseif values[5] <= now then
    redis.call('HDEL', KEYS[1], entries[i])
  else
    replicas[#replicas + 1] = {name = entries[i], want = {values[1], values[2]},
      weight = {math.max(1, values[3]), math.max(1, values[4])}, got = 0}
  end
end

local left = limit
for class = 1, 2 do
  local wanting = {}
  for _, replica in ipairs(replicas) do
    if replica.want[class] > 0 then
      wanting[#wanting + 1] = replica
    end
  end
  while #wanting > 0 and left > 0 do
    local weights = 0
    for _, replica in ipairs(wanting) do
      weights = weights + replica.weight[class]
    end
    local still = {}
    local given = 0
    for _, replica in ipairs(wanting) do
      if replica.want[class] <= left * replica.weight[class] / weights then
        replica.got = replica.got + replica.want[class]
        given = given + replica.want[class]
      else
        still[#still + 1] = replica
      end
    end
    if #still == #wanting then
      for _, replica in ipairs(wanting) do
        replica.got = replica.got + left * replica.weight[class] / weights
      end
      left = 0
    else
      left = left - given
    end
    wanting = still
  end
end

local mine = 0
for _, replica in ipairs(replicas) do
  if replica.name == ARGV[2] then
    mine = math.floor(replica.got + left / #replicas)
  end
end
return {mine, #replicas, ignored}
