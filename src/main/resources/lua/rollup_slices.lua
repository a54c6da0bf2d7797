-- The one-time step from rollups version 1 to 2 (dev.quorum.insights.Backfill): counts one existing request into
-- the totals by requester, repository and environment that version 2 keeps, where it stands now, beside what
-- version 1 counted (left as it is: time to restore, kept as it happened, cannot be rebuilt from the requests).
-- The request gets its inputs' copies (in_repo, in_environment) on its hash first, as request_create now writes them.
-- Requests go in number order, and the last one counted is kept in the same step (KEYS[4]), so a step cut off
-- and started again goes on after it and counts nothing twice.
-- KEYS: 1 the request hash, 2 its day's slices hash, 3 its inputs hash, 4 the number counted last
-- ARGV: 1 the request's number
local done = tonumber(redis.call('GET', KEYS[4]) or '0')
if done and done >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[4], ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'state', 'requester', 'cost_usd')
if not h[1] then return 0 end
local slices, costs = {}, {}
if h[2] then
  slices[#slices + 1] = 'nu|' .. h[2]
  costs[#costs + 1] = 'cu|' .. h[2]
end
for _, input in ipairs({'repo', 'environment'}) do
  local v = redis.call('HGET', KEYS[3], input)
  if v and v ~= '' then
    redis.call('HSET', KEYS[1], 'in_' .. input, v)
    local tag = input == 'repo' and 'r' or 'e'
    slices[#slices + 1] = 'n' .. tag .. '|' .. v
    costs[#costs + 1] = 'c' .. tag .. '|' .. v
  end
end
for _, slice in ipairs(slices) do redis.call('HINCRBY', KEYS[2], slice .. '|' .. h[1], 1) end
if h[3] then
  for _, c in ipairs(costs) do redis.call('HINCRBYFLOAT', KEYS[2], c, h[3]) end
end
return 1
