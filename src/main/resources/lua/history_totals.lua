-- The history's totals over one batch of requests (dev.quorum.request.HistoryTotals): how many of them match
-- every filter index and the date range, by state, and their cost. Read-only. The batch is a bounded slice of
-- the index the caller walks, so Redis never stalls on one call however large the history.
-- A request matches a group of indexes when it is in any of them (one person's identities), the filter when it
-- matches every group.
-- KEYS: the groups' indexes (sorted sets by request number) one group after another, then one request hash per id.
-- ARGV: 1 G (groups), 2..G+1 each group's size, then created at or after (epoch ms, '' for none), created before
-- ('' for none), and the batch's ids.
-- Returns {state, count, state, count, ..., 'cost', sum}, the sum as a decimal string (a Lua number is a double).
local g = tonumber(ARGV[1])
local sizes, f = {}, 0
for k = 1, g do sizes[k] = tonumber(ARGV[1 + k]); f = f + sizes[k] end
local since, before = tonumber(ARGV[g + 2]), tonumber(ARGV[g + 3])
local first = g + 4
local counts, order = {}, {}
local cost = 0
for i = first, #ARGV do
  local id = ARGV[i]
  local keep, key = true, 0
  for k = 1, g do
    local found = false
    for _ = 1, sizes[k] do
      key = key + 1
      if not found and redis.call('ZSCORE', KEYS[key], id) then found = true end
    end
    if not found then keep = false; break end
  end
  if keep then
    local h = redis.call('HMGET', KEYS[f + i - first + 1], 'state', 'created_at', 'cost_usd')
    local at = tonumber(h[2])
    if h[1] and at and (not since or at >= since) and (not before or at < before) then
      if not counts[h[1]] then counts[h[1]] = 0; order[#order + 1] = h[1] end
      counts[h[1]] = counts[h[1]] + 1
      cost = cost + (tonumber(h[3]) or 0)
    end
  end
end
local out = {}
for _, s in ipairs(order) do out[#out + 1] = s; out[#out + 1] = counts[s] end
out[#out + 1] = 'cost'
out[#out + 1] = string.format('%.17g', cost)
return out
