-- luagrad.init: the Lua side of a run, loaded by the host after the C modules.
-- It defines the globals a script uses besides the C modules (params,
-- report, ...), and in the run's own table (sys.info(), which a script
-- cannot replace, unlike the global luagrad) _finish, which the host calls
-- when the script has returned, and _provenance, which it calls last.
local params = require("luagrad.params")
local run = require("luagrad.sys").info()

-- Numbers print with every digit that matters, as Python prints them: the
-- shortest text that reads back as the same double (0.30000000000000004,
-- not Lua's 14-digit 0.3). tostring follows; `..` and io.write keep Lua's
-- own 14 digits.
local numstr = require("luagrad.sys").numstr
local lua_tostring = tostring
function tostring(v)
  if math.type(v) == "float" then return numstr(v) end
  return lua_tostring(v)
end

-- -q silences the script's progress output; its errors still reach stderr.
if run.quiet then
  print = function() end
else
  local stdout, select = io.stdout, select
  local progress_clear = require("luagrad.sys").progress_clear
  function print(...)
    progress_clear()  -- the progress line on stderr, if the terminal shows one
    local n = select("#", ...)
    for i = 1, n do
      if i > 1 then stdout:write("\t") end
      stdout:write(tostring((select(i, ...))))
    end
    stdout:write("\n")
  end
end

-- os.exit, pcall and xpcall are the host's (src/host/exit.c): os.exit
-- unwinds like an error, so the host still closes the output files and
-- writes the run's provenance.

_G.params = params.declare
_G.report = require("luagrad.report").report

-- Writes run.json when the run ends (lua/luagrad/provenance.lua).
function run._provenance(info)
  require("luagrad.provenance").write(info)
end
_G.plot = require("luagrad.plot")
_G.data = require("luagrad.data")
_G.nn = require("luagrad.nn")
_G.help = require("luagrad.help").help

-- require "luagrad" gives the table the Lua module luagrad.so gives a stock
-- lua5.4 (lua/luagrad/module.lua), so a script written for one runs in the
-- other; never the .so itself, which would be a second copy of luagrad.
package.preload.luagrad = function()
  local cmods = {}
  for _, name in ipairs(require("luagrad.sys").modules()) do cmods[name] = package.loaded[name] end
  return require("luagrad.module")(cmods)
end

-- The Lua-side globals can be required by name too, like the C modules.
package.loaded.params = _G.params
package.loaded.report = _G.report
package.loaded.plot = _G.plot
package.loaded.data = _G.data
package.loaded.nn = _G.nn

-- Under luagrad --watch: note the files the script reads.
if os.getenv("LUAGRAD_WATCH_LIST") then
  require("luagrad.watch").track(os.getenv("LUAGRAD_WATCH_LIST"))
end

function run._finish()
  params.check_all_used()
end
