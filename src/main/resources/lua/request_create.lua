-- Creates a request atomically: id from the counter, the hash, and every index.
-- (Index keys are derived inside the script: Quorum targets a single Redis, not a cluster.)
-- KEYS[1] counter, KEYS[2] index by time
-- ARGV[1] state index key prefix, ARGV[2] type index key, ARGV[3] user index key, ARGV[4] hash key prefix,
-- ARGV[5..] field/value pairs (without id)
local n = redis.call('INCR', KEYS[1])
local id = 'R' .. n
local key = ARGV[4] .. id
redis.call('HSET', key, 'id', id)
local state = nil
for i = 5, #ARGV, 2 do
  redis.call('HSET', key, ARGV[i], ARGV[i + 1])
  if ARGV[i] == 'state' then state = ARGV[i + 1] end
end
redis.call('ZADD', KEYS[2], n, id)
redis.call('ZADD', ARGV[1] .. state, n, id)
redis.call('ZADD', ARGV[2], n, id)
redis.call('ZADD', ARGV[3], n, id)
return id
