-- Closes the approval window of a request whose time ran out, unless it already moved on.
-- Its audit entry goes to the outbox in the same step.
-- KEYS: 1 request hash, 2 action hash, 3 index awaiting_approval, 4 index expired, 5 audit outbox,
--       6 index by update time
--       7 the insights day hash of the request (rollup.lua), 8 its slices hash
-- ARGV: 1 now (epoch ms), 2 request id, 3 request number
if redis.call('HGET', KEYS[1], 'state') ~= 'awaiting_approval' then return 0 end
local expires = tonumber(redis.call('HGET', KEYS[2], 'expires_at'))
if not expires or expires > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'state', 'expired', 'updated_at', ARGV[1],
  'reason', 'the approval window closed before a quorum was reached')
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[4], tonumber(ARGV[3]), ARGV[2])
redis.call('ZADD', KEYS[6], tonumber(ARGV[1]), ARGV[2])
redis.call('XADD', KEYS[5], '*', 'type', 'request.state', 'actor', 'quorum', 'request', ARGV[2], 'data',
  cjson.encode({from = 'awaiting_approval', to = 'expired', reason = 'the approval window closed before a quorum was reached'}),
  'at', ARGV[1])
roll_state(KEYS[1], KEYS[7], nil, nil, 'awaiting_approval', 'expired', ARGV[1], nil, KEYS[8])
return 1
