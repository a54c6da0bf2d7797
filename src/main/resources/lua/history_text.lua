-- The history's text filter on a batch of candidates (dev.quorum.request.HistorySearch), inside Redis so that their
-- text fields never cross the wire: most candidates fail it. Read-only. The needle is ASCII and lower case (the
-- caller sends no other); Lua lowers ASCII letters only, as Java does for them, so a match here is a match there.
-- A candidate whose fields hold other characters and did not match is handed back for Java to judge (Java lowers
-- every letter: the Kelvin sign is a k), so the answer is exactly Java's.
-- KEYS: the candidates' request hashes. ARGV: 1 the needle, 2 F, 3..F+2 the text fields to search, then the
-- candidates' ids (the id is searched too).
-- Returns the 1-based positions of the candidates that match, and the negated positions of those left to Java.
local needle = ARGV[1]
local f = tonumber(ARGV[2])
local fields = {}
for k = 1, f do fields[k] = ARGV[2 + k] end
local out = {}
for i = 1, #KEYS do
  local found = string.find(string.lower(ARGV[f + 2 + i]), needle, 1, true) ~= nil
  local foreign = false
  if not found then
    local h = redis.call('HMGET', KEYS[i], unpack(fields))
    for k = 1, #fields do
      local v = h[k]
      if v then
        if string.find(string.lower(v), needle, 1, true) then found = true; break end
        if not foreign and string.find(v, '[\128-\255]') then foreign = true end
      end
    end
  end
  if found then out[#out + 1] = i elseif foreign then out[#out + 1] = -i end
end
return out
