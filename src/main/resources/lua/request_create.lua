-- Submits a request in one step: its id from the counter, its hash and every index, its inputs,
-- its audit entry (to the outbox the audit log seals from) and its job, or nothing at all. With a
-- queue cap, a full queue refuses it here, so that instances racing at the cap never pass it.
-- Every key is passed in KEYS (one hash tag: one slot on a Redis Cluster). The id is the counter's
-- next number, which the caller predicts to name the keys; a wrong guess changes nothing and
-- answers the right number to try again with.
-- KEYS: 1 counter, 2 index by time, 3 index of the first state, 4 index by type, 5 index by requester,
--       6 the request hash, 7 its inputs hash, 8 the audit outbox, 9 the work stream,
--       10 index by creation time, 11 index by update time (both scored in epoch ms),
--       12.. the indexes of its inputs the history filters by (repository, environment), scored by number
--       the last two: today's insights day hash and slices hash (rollup.lua); input indexes: 12 .. #KEYS - 2
-- ARGV: 1 the predicted number, 2 the job kind ('' for none), 3 the queue cap (0: none),
--       4 the audit actor, 5 the audit details (JSON), 6 now (epoch ms), 7 how many request field/value
--       pairs follow (n), then n pairs (without id), then the inputs' field/value pairs
-- Returns {'ok', id}, {'moved', the number to predict}, {'full', jobs queued}, or {'broken', a key that is not
-- what Quorum keeps there}.
-- Redis does not undo a script that fails halfway, so whatever could fail is checked before the first write:
-- every key must be missing or of the type written to it (a key changed by hand answers which one)
local types = {'string', 'zset', 'zset', 'zset', 'zset', 'hash', 'hash', 'stream', 'stream'}
for i = 1, #KEYS - 2 do
  local t = redis.call('TYPE', KEYS[i])['ok']
  if t ~= 'none' and t ~= (types[i] or 'zset') then return {'broken', KEYS[i]} end
end
for i = #KEYS - 1, #KEYS do
  local rolled = redis.call('TYPE', KEYS[i])['ok']
  if rolled ~= 'none' and rolled ~= 'hash' then return {'broken', KEYS[i]} end
end
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if not n then return {'broken', KEYS[1]} end
n = n + 1
if n ~= tonumber(ARGV[1]) then return {'moved', tostring(n)} end
local cap = tonumber(ARGV[3])
if ARGV[2] ~= '' and cap > 0 then
  local queued = redis.call('XLEN', KEYS[9])
  if queued >= cap then return {'full', tostring(queued)} end
end
-- a hash under a number not yet counted (a counter restored older than the data): never overwrite it
if redis.call('EXISTS', KEYS[6]) == 1 then
  redis.call('SET', KEYS[1], n)
  return {'moved', tostring(n + 1)}
end
redis.call('SET', KEYS[1], n)
local id = 'R' .. n
local fields = {'id', id}
local last = 7 + 2 * tonumber(ARGV[7])
for i = 8, last do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[6], unpack(fields))
if #ARGV > last then
  local inputs = {}
  for i = last + 1, #ARGV do inputs[#inputs + 1] = ARGV[i] end
  redis.call('HSET', KEYS[7], unpack(inputs))
end
redis.call('ZADD', KEYS[2], n, id)
redis.call('ZADD', KEYS[3], n, id)
redis.call('ZADD', KEYS[4], n, id)
redis.call('ZADD', KEYS[5], n, id)
redis.call('ZADD', KEYS[10], tonumber(ARGV[6]), id)
redis.call('ZADD', KEYS[11], tonumber(ARGV[6]), id)
for i = 12, #KEYS - 2 do redis.call('ZADD', KEYS[i], n, id) end
redis.call('XADD', KEYS[8], '*', 'type', 'request.created', 'actor', ARGV[4], 'request', id, 'data', ARGV[5], 'at', ARGV[6])
if ARGV[2] ~= '' then redis.call('XADD', KEYS[9], '*', 'request', id, 'kind', ARGV[2]) end
roll_state(KEYS[6], KEYS[#KEYS - 1], nil, nil, '', redis.call('HGET', KEYS[6], 'state'), ARGV[6], nil, KEYS[#KEYS])
return {'ok', id}
