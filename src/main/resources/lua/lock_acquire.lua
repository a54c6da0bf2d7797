-- Takes a lock if it is free and, in the same step, draws its fencing token: a number that grows
-- with every acquisition of this lock, so whatever a holder acts on (a deployment system, a
-- receiver of the deploy webhook) can refuse a holder with a smaller number than one it has seen.
-- KEYS[1] the lock, KEYS[2] its fence counter; ARGV[1] the holder's token, ARGV[2] the lease in ms
-- Returns the fencing token, or 0 when the lock is held.
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
return redis.call('INCR', KEYS[2])
