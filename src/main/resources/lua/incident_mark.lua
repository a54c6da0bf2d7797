-- Marks a finished deploy as having failed (on-call's `incident`), once, with the insights it changes, in one step:
-- its environment's incident count on the day the deploy was asked, and the environment's open incident (the
-- first one since the last good deploy), which the next successful deploy there closes (rollup.lua).
-- KEYS: 1 the request hash, 2 its inputs hash, 3 its insights day hash, 4 the open incidents hash
-- ARGV: 1 now (epoch ms), 2 request id, 3 who marks it
-- Returns {'ok', environment}, {'missing', ''}, {'not_deploy', type}, {'not_done', state} or {'repeat', environment}
local h = redis.call('HMGET', KEYS[1], 'type', 'state', 'incident_at')
if not h[1] then return {'missing', ''} end
if h[1] ~= 'deploy' then return {'not_deploy', h[1]} end
local env = redis.call('HGET', KEYS[2], 'environment') or ''
if h[2] ~= 'done' then return {'not_done', h[2]} end
if h[3] then return {'repeat', env} end
redis.call('HSET', KEYS[1], 'incident_at', ARGV[1], 'incident_by', ARGV[3])
redis.call('HINCRBY', KEYS[3], 'inc|' .. env, 1)
redis.call('HSETNX', KEYS[4], env, ARGV[1] .. '|' .. ARGV[2])
return {'ok', env}
