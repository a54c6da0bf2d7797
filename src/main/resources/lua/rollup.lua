-- Insights rollups (dev.quorum.insights.Rollup), prepended to every script that changes a request's state
-- or adds to what it counts, so that a figure changes in the same atomic step as what it counts: a crash
-- leaves both or neither, and a step refused (the state moved first) counts nothing. No drift, no replay.
-- Every figure goes to the day hash of the UTC day the request was asked (a cohort: a range's figures
-- are those of the requests asked in it), a key the caller names in KEYS like every other.
-- Day hash fields: n|type|state (requests in that state now), d|stage|bucket and w|policy|bucket (duration
-- histograms), a|person (approvals given), dep|env, inc|env, r|bucket (time to restore), c and c|person
-- (agent cost, USD), b|kind (budget stops), cv|runs, cv|claimed, cv|bad (claim vs evidence).
-- For the history's totals, a second hash per day ({q}:roll:slices:<day>, the caller's `slices`, so that Insights
-- never reads them): nu|requester|state, nr|repo|state, ne|environment|state (requests in that state now, by who
-- asked and what they work on: in_repo and in_environment on the request hash, its inputs' copies), and
-- cu|requester, cr|repo, ce|environment (agent cost).

-- The histogram bucket of a duration: the power of two at or below it and which eighth above it
-- (integer arithmetic, so that Java's Buckets gives the same bucket for the same duration).
local function roll_bucket(ms)
  if ms < 1 then return 0 end
  local p, e = 1, 0
  while p * 2 <= ms do p = p * 2; e = e + 1 end
  return e * 8 + math.floor((ms - p) * 8 / p) + 1
end

local function roll_took(day, field, now, since)
  local start = tonumber(since)
  if start then redis.call('HINCRBY', day, field .. '|' .. roll_bucket(now - start), 1) end
end

-- A request moved from state `from` ('' when it was just created) to `to` at `now` (epoch ms).
-- inputs (its inputs hash), incidents (the open incidents hash) and policy may be nil where the
-- script cannot reach a deploy's end or a quorum.
local function roll_state(req, day, inputs, incidents, from, to, now, policy, slices)
  local h = redis.call('HMGET', req, 'type', 'created_at', 'at_awaiting_approval', 'at_executing',
    'claimed_pass', 'evidence_pass', 'budget_stop', 'requester', 'in_repo', 'in_environment')
  local t = h[1]
  if not t then return end
  local n = tonumber(now)
  if from ~= '' then redis.call('HINCRBY', day, 'n|' .. t .. '|' .. from, -1) end
  redis.call('HINCRBY', day, 'n|' .. t .. '|' .. to, 1)
  local by = {}
  if h[8] then by[#by + 1] = 'nu|' .. h[8] end
  if h[9] then by[#by + 1] = 'nr|' .. h[9] end
  if h[10] then by[#by + 1] = 'ne|' .. h[10] end
  for _, slice in ipairs(by) do
    if from ~= '' then redis.call('HINCRBY', slices, slice .. '|' .. from, -1) end
    redis.call('HINCRBY', slices, slice .. '|' .. to, 1)
  end
  redis.call('HSET', req, 'at_' .. to, now)
  if (t == 'code' or t == 'research') and (to == 'succeeded' or to == 'failed') then
    roll_took(day, 'd|agent', n, h[2])
    if h[6] then
      redis.call('HINCRBY', day, 'cv|runs', 1)
      if h[5] == '1' then redis.call('HINCRBY', day, 'cv|claimed', 1) end
      if h[5] == '1' and h[6] == '0' then redis.call('HINCRBY', day, 'cv|bad', 1) end
    end
    if h[7] then redis.call('HINCRBY', day, 'b|' .. h[7], 1) end
  elseif to == 'awaiting_approval' then
    roll_took(day, 'd|evidence', n, h[2])
  elseif to == 'executing' and from == 'awaiting_approval' then
    roll_took(day, 'd|quorum', n, h[3])
    if policy then roll_took(day, 'w|' .. policy, n, h[3]) end
  elseif to == 'done' then
    roll_took(day, t == 'deploy' and 'd|deployed' or 'd|merged', n, h[4])
    roll_took(day, 'd|lead', n, h[2])
    if t == 'deploy' and inputs then
      local env = redis.call('HGET', inputs, 'environment') or ''
      redis.call('HINCRBY', day, 'dep|' .. env, 1)
      local open = incidents and redis.call('HGET', incidents, env)
      if open then
        -- the first successful deploy after an incident restores that environment
        redis.call('HINCRBY', day, 'r|' .. roll_bucket(n - tonumber(string.match(open, '^(%d+)'))), 1)
        redis.call('HDEL', incidents, env)
      end
    end
  end
end
