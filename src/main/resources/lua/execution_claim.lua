-- Claims the execution of an approved action in one step with what it is about to do, so that a later delivery of
-- the same execution (Quorum killed during it) finds both or neither: never a claim without its intent.
-- KEYS[1] the execution record ({q}:exec:R12); ARGV field, value pairs, started_at among them
-- Returns {} when claimed now, else the record an earlier delivery left (HGETALL's pairs), unchanged.
if redis.call('HEXISTS', KEYS[1], 'started_at') == 1 then return redis.call('HGETALL', KEYS[1]) end
redis.call('HSET', KEYS[1], unpack(ARGV))
return {}
