return roll_bucket(tonumber(ARGV[1]))
