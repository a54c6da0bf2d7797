-- The one-time backfill (dev.quorum.insights.Backfill): counts one existing request into its day hash as the
-- state changes that made it would have (roll_state of rollup.lua, replayed through the states it passed, as far
-- as its at_<state> fields tell; a request from before them goes from asked straight to where it is, at its last
-- change), with its approvals, cost and incident.
-- KEYS: 1 the request hash, 2 its insights day hash, 3 its inputs hash, 4 its votes hash, 5 its action hash,
--       6 the day's slices hash
local h = redis.call('HMGET', KEYS[1], 'state', 'created_at', 'updated_at', 'cost_usd', 'requester', 'incident_at')
if not h[1] then return 0 end
-- a request from before the totals by repository and environment gets its inputs' copies on its hash first
for _, input in ipairs({'repo', 'environment'}) do
  local v = redis.call('HGET', KEYS[3], input)
  if v and v ~= '' then redis.call('HSET', KEYS[1], 'in_' .. input, v) end
end
local policy = redis.call('HGET', KEYS[5], 'policy_action')
local from = ''
for _, s in ipairs({'queued', 'running', 'verifying', 'awaiting_approval', 'executing'}) do
  local at = redis.call('HGET', KEYS[1], 'at_' .. s)
  if s == 'queued' and not at then at = h[2] end -- every request is asked queued
  if at and s ~= h[1] then
    roll_state(KEYS[1], KEYS[2], KEYS[3], nil, from, s, at, policy, KEYS[6])
    from = s
  end
end
roll_state(KEYS[1], KEYS[2], KEYS[3], nil, from, h[1], redis.call('HGET', KEYS[1], 'at_' .. h[1]) or h[3], policy, KEYS[6])
local votes = redis.call('HGETALL', KEYS[4])
for i = 1, #votes, 2 do
  local ok, vote = pcall(cjson.decode, votes[i + 1])
  if ok and type(vote) == 'table' and vote.vote == 'approve' then redis.call('HINCRBY', KEYS[2], 'a|' .. votes[i], 1) end
end
if h[4] then
  redis.call('HINCRBYFLOAT', KEYS[2], 'c', h[4])
  redis.call('HINCRBYFLOAT', KEYS[2], 'c|' .. h[5], h[4])
  local at = redis.call('HMGET', KEYS[1], 'in_repo', 'in_environment')
  redis.call('HINCRBYFLOAT', KEYS[6], 'cu|' .. h[5], h[4])
  if at[1] then redis.call('HINCRBYFLOAT', KEYS[6], 'cr|' .. at[1], h[4]) end
  if at[2] then redis.call('HINCRBYFLOAT', KEYS[6], 'ce|' .. at[2], h[4]) end
end
if h[6] then redis.call('HINCRBY', KEYS[2], 'inc|' .. (redis.call('HGET', KEYS[3], 'environment') or ''), 1) end
return 1
