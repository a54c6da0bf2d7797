-- Takes over the posting of a request's progress message from a claimant that died before it posted:
-- only if the claim is still the one the caller read, is older than the stale bound, and nothing was posted.
-- KEYS[1] the request hash; ARGV[1] the claim read, ARGV[2] now, ARGV[3] the stale bound (epoch ms)
if redis.call('HEXISTS', KEYS[1], 'progress_message') == 1 then return 0 end
local at = redis.call('HGET', KEYS[1], 'progress_claimed_at')
if at ~= ARGV[1] or tonumber(at) > tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'progress_claimed_at', ARGV[2])
return 1
