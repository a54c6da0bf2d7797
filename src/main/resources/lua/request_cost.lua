-- Adds model cost to a request and to the insights' cost of the day it was asked, in one step (rollup.lua).
-- KEYS: 1 the request hash, 2 its insights day hash, 3 the day's slices hash. ARGV: 1 USD to add (a decimal)
local h = redis.call('HMGET', KEYS[1], 'requester', 'in_repo', 'in_environment')
local who = h[1]
if not who then return 0 end
redis.call('HINCRBYFLOAT', KEYS[1], 'cost_usd', ARGV[1])
redis.call('HINCRBYFLOAT', KEYS[2], 'c', ARGV[1])
redis.call('HINCRBYFLOAT', KEYS[2], 'c|' .. who, ARGV[1])
redis.call('HINCRBYFLOAT', KEYS[3], 'cu|' .. who, ARGV[1])
if h[2] then redis.call('HINCRBYFLOAT', KEYS[3], 'cr|' .. h[2], ARGV[1]) end
if h[3] then redis.call('HINCRBYFLOAT', KEYS[3], 'ce|' .. h[3], ARGV[1]) end
return 1
