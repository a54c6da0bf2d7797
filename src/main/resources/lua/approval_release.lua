-- After a freeze: a request that reached quorum while frozen executes now, exactly once, unless
-- its window closed meanwhile.
-- KEYS: 1 request hash, 2 action hash, 3 freeze key, 4 index awaiting_approval, 5 index executing,
--       6 index expired, 7 work stream, 8 audit outbox (each state change's audit entry, in the same step),
--       9 index by update time
--       10 the insights day hash of the request (rollup.lua), 11 its slices hash
-- ARGV: 1 now (epoch ms), 2 request id, 3 request number, 4 the reason audited when it executes
if redis.call('HGET', KEYS[1], 'state') ~= 'awaiting_approval' then return 'closed' end
if not redis.call('HGET', KEYS[2], 'quorum_reached_at') then return 'waiting' end
if redis.call('EXISTS', KEYS[3]) == 1 then return 'frozen' end
local function move(index, to, reason, audited)
  redis.call('HSET', KEYS[1], 'state', to, 'updated_at', ARGV[1])
  if reason ~= '' then redis.call('HSET', KEYS[1], 'reason', reason) end
  redis.call('ZREM', KEYS[4], ARGV[2])
  redis.call('ZADD', index, tonumber(ARGV[3]), ARGV[2])
  redis.call('ZADD', KEYS[9], tonumber(ARGV[1]), ARGV[2])
  redis.call('XADD', KEYS[8], '*', 'type', 'request.state', 'actor', 'quorum', 'request', ARGV[2],
    'data', cjson.encode({from = 'awaiting_approval', to = to, reason = audited}), 'at', ARGV[1])
  roll_state(KEYS[1], KEYS[10], nil, nil, 'awaiting_approval', to, ARGV[1], redis.call('HGET', KEYS[2], 'policy_action'), KEYS[11])
end
if tonumber(redis.call('HGET', KEYS[2], 'expires_at')) <= tonumber(ARGV[1]) then
  move(KEYS[6], 'expired', 'the approval window closed while Quorum was frozen', 'the approval window closed while Quorum was frozen')
  return 'expired'
end
move(KEYS[5], 'executing', '', ARGV[4])
redis.call('XADD', KEYS[7], '*', 'request', ARGV[2], 'kind', 'execute')
return 'executing'
