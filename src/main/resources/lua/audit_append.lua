-- Appends a batch of hash-chained, sealed entries, only if the chain head and the entry count
-- are still the ones the batch was hashed and numbered on (group commit: one call for every
-- entry waiting in one Quorum instance). The seals are made by the caller: the key is never here.
-- Entries drained from the audit outbox (state changes written there by the script that made
-- them) are deleted from it in this same step, and only if they are all still there: an outbox
-- entry is appended once, never lost (it stays until this step takes it) and never twice (another
-- instance that drained it first made it go, and this batch is refused).
-- KEYS[1] the audit stream, KEYS[2] the head key (hash of the newest entry), KEYS[3] the count key,
-- KEYS[4] the audit outbox
-- ARGV[1] expected head ('' for the first entry ever), ARGV[2] expected count,
-- ARGV[3] the last new entry's hash, ARGV[4] fields per entry (k), ARGV[5] how many outbox ids (m),
-- ARGV[6 .. 5+m] the outbox ids the batch holds, then the entries' field/value pairs, k values each.
-- Returns {'ok', new count, id, id, ...}, or {'moved', current head, current count} so the caller
-- can rehash without a read (an expected count of '?' asks for them), or {'gone', current head,
-- current count} when an outbox entry of the batch was already taken.
local head = redis.call('GET', KEYS[2]) or ''
local count = tonumber(redis.call('GET', KEYS[3]))
if count == nil then
  -- a chain from before the count was kept: its length is the count
  if head == '' then count = 0 else count = redis.call('XLEN', KEYS[1]) end
end
if head ~= ARGV[1] or count ~= tonumber(ARGV[2]) then return {'moved', head, tostring(count)} end
local k = tonumber(ARGV[4])
local m = tonumber(ARGV[5])
for i = 6, 5 + m do
  if #redis.call('XRANGE', KEYS[4], ARGV[i], ARGV[i]) == 0 then return {'gone', head, tostring(count)} end
end
local out = {'ok', ''}
for start = 6 + m, #ARGV, k do
  local fields = {}
  for i = start, start + k - 1 do fields[#fields + 1] = ARGV[i] end
  out[#out + 1] = redis.call('XADD', KEYS[1], '*', unpack(fields))
end
for i = 6, 5 + m do redis.call('XDEL', KEYS[4], ARGV[i]) end
count = count + #out - 2
redis.call('SET', KEYS[2], ARGV[3])
redis.call('SET', KEYS[3], count)
out[2] = tostring(count)
return out
