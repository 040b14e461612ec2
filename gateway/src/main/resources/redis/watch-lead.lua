-- One replica reads a watched room for all (the watch stream's loop). KEYS[1] the room's lease; ARGV[1] this
-- replica's claim; ARGV[2] how long the lease holds, in ms. A free lease, or this replica's own, is (re)taken:
-- {1}; another replica's: {0}.
cleared_unless('string')
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return {1}
end
return {0}
