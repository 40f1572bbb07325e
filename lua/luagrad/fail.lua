-- luagrad.fail: errors raised by luagrad's Lua modules (plot, nn, data)
-- point at the line of the user's script that called them, not at a line
-- inside luagrad: the level skips every frame of luagrad's own Lua files.
--
--   local fail = require("luagrad.fail")
--   fail("plot.line", "csv must be a file name, got %s", type(o.csv))
local OWN = "^@lua/luagrad/"

return function(fname, fmt, ...)
  local level = 2
  while true do
    local info = debug.getinfo(level, "S")
    if not info or not info.source:find(OWN) then break end
    level = level + 1
  end
  error(fname .. ": " .. string.format(fmt, ...), level)
end
