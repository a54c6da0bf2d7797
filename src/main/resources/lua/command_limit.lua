-- One command against the per-member and per-channel limits, checked and counted in one step, so
-- that two instances taking commands from one member at once cannot both slip under the limit.
-- A refused command is not counted: a member who keeps trying is not kept out longer. Each count
-- lives for one window from its first command (PEXPIRE when it is created).
-- KEYS: 1 the member's count, 2 the channel's count (one hash tag: one slot on a Redis Cluster)
-- ARGV: 1 the member's limit, 2 the channel's limit (0: no limit), 3 the window in ms
-- Returns {0, 0} when taken, {1, ms} when the member's limit is reached, {2, ms} the channel's;
-- ms: until the count ends.
local window = tonumber(ARGV[3])
local limits = {tonumber(ARGV[1]), tonumber(ARGV[2])}
for i = 1, 2 do
  if limits[i] > 0 and tonumber(redis.call('GET', KEYS[i]) or '0') >= limits[i] then
    local left = redis.call('PTTL', KEYS[i])
    if left < 0 then -- a count without its end (restored without TTL): give it one
      redis.call('PEXPIRE', KEYS[i], window)
      left = window
    end
    return {i, left}
  end
end
for i = 1, 2 do
  if limits[i] > 0 and redis.call('INCR', KEYS[i]) == 1 then
    redis.call('PEXPIRE', KEYS[i], window)
  end
end
return {0, 0}
