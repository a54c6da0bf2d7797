-- Appends a batch of hash-chained, sealed entries, only if the chain head and the entry count
-- are still the ones the batch was hashed and numbered on (group commit: one call for every
-- entry waiting in one Quorum instance). The seals are made by the caller: the key is never here.
-- KEYS[1] the audit stream, KEYS[2] the head key (hash of the newest entry), KEYS[3] the count key
-- ARGV[1] expected head ('' for the first entry ever), ARGV[2] expected count,
-- ARGV[3] the last new entry's hash, ARGV[4] fields per entry (k), then the entries' field/value
-- pairs, k values each.
-- Returns {'ok', new count, id, id, ...}, or {'moved', current head, current count} so the caller
-- can rehash without a read (an expected count of '?' asks for them).
local head = redis.call('GET', KEYS[2]) or ''
local count = tonumber(redis.call('GET', KEYS[3]))
if count == nil then
  -- a chain from before the count was kept: its length is the count
  if head == '' then count = 0 else count = redis.call('XLEN', KEYS[1]) end
end
if head ~= ARGV[1] or count ~= tonumber(ARGV[2]) then return {'moved', head, tostring(count)} end
local k = tonumber(ARGV[4])
local out = {'ok', ''}
for start = 5, #ARGV, k do
  local fields = {}
  for i = start, start + k - 1 do fields[#fields + 1] = ARGV[i] end
  out[#out + 1] = redis.call('XADD', KEYS[1], '*', unpack(fields))
end
count = count + #out - 2
redis.call('SET', KEYS[2], ARGV[3])
redis.call('SET', KEYS[3], count)
out[2] = tostring(count)
return out
