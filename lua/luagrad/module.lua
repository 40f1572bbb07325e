-- luagrad.module: the table that require "luagrad" returns, in a stock lua5.4
-- (luagrad.so, src/module/luagrad.c) and in a luagrad script alike:
--
--   local lg = require "luagrad"
--   local x, y = lg.tensor{1, 2, 3}, lg.tensor{2, 4, 6}
--   print(lg.loss.mse(lg.model.linear{ w = 2 }, x, y))   --> 0.0
--
-- It is called with the C modules by name ("tensor" -> table, and the
-- internal "luagrad.sys", "luagrad.nnc", which it leaves out).
-- What only the program has: parameters from the command line (params{}
-- returns its defaults here), run.json and the report file (report{} only
-- prints), Ctrl-C inside C loops, the number format of print (Lua's own
-- here). The output folder is the current one unless lg.outdir(dir) says.
local sys = require("luagrad.sys")
local run = sys.info()

-- The program starts programs (gnuplot, for plot) with its own sys.run
-- (src/host/proc.c, fork and exec); in a stock lua5.4 the shell does it,
-- with the same results: the exit code (nil when killed) and the stderr text.
if not sys.run then
  local function quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
  function sys.run(argv, opts)
    local words = {}
    for i, a in ipairs(argv) do words[i] = quote(a) end
    local errfile = os.tmpname()
    local cmd = table.concat(words, " ") .. " 2>" .. quote(errfile)
    if opts and opts.stdout then cmd = cmd .. " >" .. quote(opts.stdout) end
    io.stdout:flush()
    local _, how, code = os.execute(cmd)
    local f = io.open(errfile)
    local err = f and f:read("a") or ""
    if f then f:close() end
    os.remove(errfile)
    if how == "exit" then return code, err end
    return nil, err .. "killed by signal " .. tostring(code)
  end
end

return function(cmods)
  local M = {}
  for name, mod in pairs(cmods) do
    if not name:find(".", 1, true) then M[name] = mod end
  end
  M.plot = require("luagrad.plot")
  M.data = require("luagrad.data")
  M.nn = require("luagrad.nn")
  M.params = require("luagrad.params").declare
  M.report = require("luagrad.report").report
  M.help = require("luagrad.help").help
  M.version = run.version

  -- The folder relative output paths go to; with dir, sets it first.
  function M.outdir(dir)
    if dir ~= nil then
      if type(dir) ~= "string" or dir == "" then
        error("luagrad.outdir: dir must be a folder name, got " .. (dir == "" and "''" or type(dir)), 2)
      end
      run.out = dir
    end
    return run.out
  end

  -- Makes the modules globals, as the program does, so that a script
  -- written for the program runs unchanged:
  --   lua5.4 -e 'require("luagrad").globals()' examples/w_scan.lua
  function M.globals()
    for name, mod in pairs(M) do
      if name ~= "version" and name ~= "outdir" and name ~= "globals" then _G[name] = mod end
    end
    local copy = {}
    for k, v in pairs(run) do copy[k] = v end
    _G.luagrad = copy
    return M
  end
  return M
end
