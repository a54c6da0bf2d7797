local function roll_state() end
