-- A replica's loop of a watched room stopped: its lease (KEYS[1]), if it still holds it (ARGV[1]), is freed at
-- once, so that another replica with watchers takes the loop at its next poll.
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('DEL', KEYS[1])
end
return {0}
