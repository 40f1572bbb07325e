-- luagrad.init: the Lua side of a run, loaded by the host after luagrad.sys.
-- It sets print and tostring, and in the run's own table (sys.info(),
-- which a script cannot replace, unlike the global luagrad) _finish, which
-- the host calls when the script has returned, and _provenance, which it
-- calls last. The globals (params, report, plot, tensor, ...) load on first
-- use (src/host/lazy.c), so a script pays only for what it uses.
local run = require("luagrad.sys").info()
-- the loaders and _finish run later, maybe after a script changed _G
local require, loaded, next = require, package.loaded, next

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

-- Writes run.json when the run ends (lua/luagrad/provenance.lua).
function run._provenance(info)
  require("luagrad.provenance").write(info)
end

-- require "luagrad" gives the table the Lua module luagrad.so gives a stock
-- lua5.4 (lua/luagrad/module.lua), so a script written for one runs in the
-- other; never the .so itself, which would be a second copy of luagrad.
package.preload.luagrad = function()
  local cmods = {}
  for _, name in ipairs(require("luagrad.sys").modules()) do cmods[name] = require(name) end
  return require("luagrad.module")(cmods)
end

-- Under luagrad --watch: note the files the script reads.
if os.getenv("LUAGRAD_WATCH_LIST") then
  require("luagrad.watch").track(os.getenv("LUAGRAD_WATCH_LIST"))
end

-- Every key=value must have been used, and --params must list something:
-- a script that never loaded params has declared nothing.
function run._finish()
  local params = loaded["luagrad.params"]
  if not params and (run.list_params or next(run.overrides)) then params = require("luagrad.params") end
  if params then params.check_all_used() end
end
