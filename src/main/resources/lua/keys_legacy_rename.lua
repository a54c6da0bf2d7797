-- Moves the keys of a store written before Quorum's keys carried the hash tag {q} (q:req:R1 becomes
-- {q}:req:R1), all in one step, so that no instance ever sees a store half in each form. Runs once,
-- at start, on a single Redis (a Cluster never held the old names). A key whose new name is taken
-- is left where it is and counted, never overwritten. SCAN, not KEYS: the README's ACL user may not
-- run KEYS (@dangerous); SCAN may return a key twice, hence the EXISTS.
-- Returns {moved, left}.
local moved, left = 0, 0
local cursor = '0'
repeat
  local page = redis.call('SCAN', cursor, 'MATCH', 'q:*', 'COUNT', 1000)
  cursor = page[1]
  for _, old in ipairs(page[2]) do
    if redis.call('EXISTS', old) == 1 then
      if redis.call('RENAMENX', old, '{q}:' .. string.sub(old, 3)) == 1 then moved = moved + 1 else left = left + 1 end
    end
  end
until cursor == '0'
return {moved, left}
