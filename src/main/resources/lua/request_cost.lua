-- Adds model cost to a request and to the insights' cost of the day it was asked, in one step (rollup.lua).
-- KEYS: 1 the request hash, 2 its insights day hash. ARGV: 1 USD to add (a decimal)
local who = redis.call('HGET', KEYS[1], 'requester')
if not who then return 0 end
redis.call('HINCRBYFLOAT', KEYS[1], 'cost_usd', ARGV[1])
redis.call('HINCRBYFLOAT', KEYS[2], 'c', ARGV[1])
redis.call('HINCRBYFLOAT', KEYS[2], 'c|' .. who, ARGV[1])
return 1
