-- Compare-and-set of a request's state, moving it between state indexes, with its audit entry
-- written to the outbox in the same step (the audit log seals it from there: the key is never here).
-- KEYS[1] the request hash, KEYS[2] old state index, KEYS[3] new state index, KEYS[4] the audit outbox,
-- KEYS[5] the index by update time (the history's order by update)
-- KEYS[6] the insights day hash of the request (rollup.lua), KEYS[7] its inputs hash, KEYS[8] open incidents,
-- KEYS[9] the day's slices hash (rollup.lua)
-- ARGV[1] expected current state, ARGV[2] new state, ARGV[3] request number (index score),
-- ARGV[4] request id, ARGV[5] the audit actor, ARGV[6] the audit details (JSON), ARGV[7] now (epoch ms),
-- ARGV[8..] field/value pairs to set with it
local current = redis.call('HGET', KEYS[1], 'state')
if not current then return '' end
if current ~= ARGV[1] then return current end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
for i = 8, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('ZREM', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[3], tonumber(ARGV[3]), ARGV[4])
redis.call('ZADD', KEYS[5], tonumber(ARGV[7]), ARGV[4])
redis.call('XADD', KEYS[4], '*', 'type', 'request.state', 'actor', ARGV[5], 'request', ARGV[4], 'data', ARGV[6], 'at', ARGV[7])
roll_state(KEYS[1], KEYS[6], KEYS[7], KEYS[8], ARGV[1], ARGV[2], ARGV[7], nil, KEYS[9])
return 'OK'
