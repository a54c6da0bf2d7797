-- Marks a job done in one step: acknowledged, removed from the queue, its delivery count forgotten.
-- KEYS[1] the work stream, KEYS[2] the attempts hash; ARGV[1] the consumer group, ARGV[2] the entry id
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
return 1
