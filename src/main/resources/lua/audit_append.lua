-- Appends one hash-chained entry, only if the chain head is still the one the entry was hashed on.
-- KEYS[1] the audit stream, KEYS[2] the head key (hash of the newest entry)
-- ARGV[1] expected head ('' for the first entry), ARGV[2] the new entry's hash, ARGV[3..] field/value pairs
local head = redis.call('GET', KEYS[2]) or ''
if head ~= ARGV[1] then return false end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
local id = redis.call('XADD', KEYS[1], '*', unpack(fields))
redis.call('SET', KEYS[2], ARGV[2])
return id
