-- Extends a lock's lease only if the caller still holds it (its token): a holder whose lease ran
-- out must never take the lock back from whoever holds it now (SET ... XX would).
-- KEYS[1] the lock, ARGV[1] the holder's token, ARGV[2] the lease in milliseconds
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
