-- Records one vote and decides, atomically across every Quorum instance on this Redis:
-- closed? stale? expired? repeated? veto? quorum? frozen? Quorum moves the request to
-- executing and queues its execution exactly once, in this same step.
-- Each state change writes its audit entry to the outbox in the same step.
-- KEYS: 1 request hash, 2 action hash, 3 votes hash, 4 freeze key, 5 index awaiting_approval,
--       6 index executing, 7 index rejected, 8 index expired, 9 work stream, 10 vote order list,
--       11 audit outbox, 12 index of the requests the voter approved, 13 index by update time
--       14 the insights day hash of the request (rollup.lua), 15 its slices hash
-- ARGV: 1 person key, 2 vote json, 3 approve|reject, 4 now (epoch ms), 5 subject digest voted on,
--       6 request id, 7 request number, 8 veto reason, 9 the reason audited when quorum is reached
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'awaiting_approval' then return {'closed', state or ''} end
local action = redis.call('HMGET', KEYS[2], 'subject_digest', 'expires_at', 'approvals', 'require', 'veto')
if action[1] ~= ARGV[5] then return {'moved', ''} end

local function move(index, to, reason, audited)
  redis.call('HSET', KEYS[1], 'state', to, 'updated_at', ARGV[4])
  if reason ~= '' then redis.call('HSET', KEYS[1], 'reason', reason) end
  redis.call('ZREM', KEYS[5], ARGV[6])
  redis.call('ZADD', index, tonumber(ARGV[7]), ARGV[6])
  redis.call('ZADD', KEYS[13], tonumber(ARGV[4]), ARGV[6])
  redis.call('XADD', KEYS[11], '*', 'type', 'request.state', 'actor', 'quorum', 'request', ARGV[6],
    'data', cjson.encode({from = 'awaiting_approval', to = to, reason = audited}), 'at', ARGV[4])
  roll_state(KEYS[1], KEYS[14], nil, nil, 'awaiting_approval', to, ARGV[4], redis.call('HGET', KEYS[2], 'policy_action'), KEYS[15])
end

if tonumber(action[2]) <= tonumber(ARGV[4]) then
  move(KEYS[8], 'expired', 'the approval window closed before a quorum was reached', 'the approval window closed')
  return {'expired', ''}
end
local previous = redis.call('HGET', KEYS[3], ARGV[1])
if previous then return {'repeat', previous} end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('RPUSH', KEYS[10], ARGV[1])
if ARGV[3] == 'approve' then redis.call('ZADD', KEYS[12], tonumber(ARGV[7]), ARGV[6]) end
if ARGV[3] == 'approve' then redis.call('HINCRBY', KEYS[14], 'a|' .. ARGV[1], 1) end
if ARGV[3] == 'reject' then
  if action[5] == '1' then
    move(KEYS[7], 'rejected', ARGV[8], ARGV[8])
    return {'rejected', ''}
  end
  return {'counted', ''}
end

local approvals = 0
local byGroup = {}
for _, raw in ipairs(redis.call('HVALS', KEYS[3])) do
  local vote = cjson.decode(raw)
  if vote.vote == 'approve' then
    approvals = approvals + 1
    for _, g in ipairs(vote.groups) do byGroup[g] = (byGroup[g] or 0) + 1 end
  end
end
local met = approvals >= tonumber(action[3])
for group, count in pairs(cjson.decode(action[4])) do
  if (byGroup[group] or 0) < count then met = false end
end
if not met then return {'counted', ''} end
redis.call('HSET', KEYS[2], 'quorum_reached_at', ARGV[4])
if redis.call('EXISTS', KEYS[4]) == 1 then return {'frozen', ''} end
move(KEYS[6], 'executing', '', ARGV[9])
redis.call('XADD', KEYS[9], '*', 'request', ARGV[6], 'kind', 'execute')
return {'executing', ''}
