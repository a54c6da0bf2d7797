-- Counts one more delivery of a queued job and, past the cap, moves it to the dead-letter stream in
-- the same step: acknowledged and deleted from the queue, so no instance takes it again, and kept,
-- with why, where an admin can see it. A job that kills its JVM is delivered again and again
-- (each instance that takes it dies); this is what stops that loop.
-- KEYS[1] the work stream, KEYS[2] the attempts hash (entry id -> deliveries), KEYS[3] the dead-letter stream
-- ARGV[1] the consumer group, ARGV[2] the entry id, ARGV[3] the cap, ARGV[4] request id, ARGV[5] kind,
-- ARGV[6] the consumer giving up, ARGV[7] now (epoch ms)
-- Returns the delivery number, negated when the job went to the dead letters.
local n = redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
if n <= tonumber(ARGV[3]) then return n end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', 10000, '*', 'request', ARGV[4], 'kind', ARGV[5], 'entry', ARGV[2],
    'attempts', tostring(n - 1), 'consumer', ARGV[6], 'at', ARGV[7])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
return -n
