-- The history's totals over one batch of requests (dev.quorum.request.HistoryTotals): how many of them match
-- every filter index and the date range, by state, and their cost. Read-only. The batch is a bounded slice of
-- the index the caller walks, so Redis never stalls on one call however large the history.
-- KEYS: 1..F the filter indexes (sorted sets by request number), then one request hash per id in ARGV.
-- ARGV: 1 F, 2 created at or after (epoch ms, '' for none), 3 created before ('' for none), 4.. the batch's ids.
-- Returns {state, count, state, count, ..., 'cost', sum}, the sum as a decimal string (a Lua number is a double).
local f = tonumber(ARGV[1])
local since, before = tonumber(ARGV[2]), tonumber(ARGV[3])
local counts, order = {}, {}
local cost = 0
for i = 4, #ARGV do
  local id = ARGV[i]
  local keep = true
  for k = 1, f do
    if not redis.call('ZSCORE', KEYS[k], id) then keep = false; break end
  end
  if keep then
    local h = redis.call('HMGET', KEYS[f + i - 3], 'state', 'created_at', 'cost_usd')
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
