-- One event of the console room: appended to the room's log and published to every instance in one
-- step. Done as two commands, two posters' XADD and PUBLISH could interleave (A adds 5, B adds 6 and
-- publishes 6, A publishes 5), and a page that already has 6 skips 5 as seen: a message lost until reload.
-- KEYS: 1 the room's log (a stream)
-- ARGV: 1 the channel, 2 the log's approximate cap, 3 kind, 4 the only user who may see it ('' for all), 5 data
local id
if ARGV[4] == '' then
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'kind', ARGV[3], 'data', ARGV[5])
else
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'kind', ARGV[3], 'data', ARGV[5], 'to', ARGV[4])
end
redis.call('PUBLISH', ARGV[1], id .. '\n' .. ARGV[3] .. '\n' .. ARGV[4] .. '\n' .. ARGV[5])
return id
