-- fails while loading
local config = nil
local port = config.port
