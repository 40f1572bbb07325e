-- luagrad.init: the Lua side of a run, loaded by the host after the C modules.
-- It defines the globals a script uses besides the C modules (params, ...)
-- and luagrad._finish, which the host calls when the script has returned.
local params = require("luagrad.params")

-- -q silences the script's progress output; its errors still reach stderr.
if luagrad.quiet then
  print = function() end
end

-- os.exit unwinds like an error, so the host still closes the output files
-- and writes the run's provenance: os.exit(true|0) is success.
function os.exit(code)
  if code == nil or code == true then code = 0 end
  if code == false then code = 1 end
  error({ exit = math.tointeger(code) or 1, message = "" }, 0)
end

_G.params = params.declare

function luagrad._finish()
  params.check_all_used()
end
