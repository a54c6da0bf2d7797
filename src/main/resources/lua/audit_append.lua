-- Appends a batch of hash-chained entries, only if the chain head is still the one the first
-- entry was hashed on (group commit: one call for every entry waiting in one Quorum instance).
-- KEYS[1] the audit stream, KEYS[2] the head key (hash of the newest entry)
-- ARGV[1] expected head ('' for the first entry ever), ARGV[2] the last new entry's hash,
-- ARGV[3] fields per entry (k), then the entries' field/value pairs, k values each.
-- Returns {'ok', id, id, ...}, or {'moved', current head} so the caller can rehash without a read.
local head = redis.call('GET', KEYS[2]) or ''
if head ~= ARGV[1] then return {'moved', head} end
local k = tonumber(ARGV[3])
local ids = {'ok'}
for start = 4, #ARGV, k do
  local fields = {}
  for i = start, start + k - 1 do fields[#fields + 1] = ARGV[i] end
  ids[#ids + 1] = redis.call('XADD', KEYS[1], '*', unpack(fields))
end
redis.call('SET', KEYS[2], ARGV[2])
return ids
