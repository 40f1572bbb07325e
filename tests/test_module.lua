-- tests/test_module.lua: luagrad as a Lua module. LuaRocks builds
-- luagrad.so from a copy of the sources (luarocks make, into a temporary
-- tree), and a stock lua5.4 runs the w-scan with it: the same CSV as the
-- program's, and MSEs equal to the closed form. Then make install and make
-- uninstall into a temporary prefix.
--
-- Golden numbers: for x = 1, 2, 3 and y = 2x, MSE(w) = (1/3) sum (w x - 2x)^2
-- = (14/3) (w - 2)^2, by hand.
local T = dofile("tests/check.lua")
local q = T.quote

local ROOT = require("luagrad.sys").cwd()
local TOOLS = { "luarocks", "lua5.4", "make", "cc" }

-- A copy of what the build needs, so the build here never touches the
-- tree being tested (its build/ folder, its binary).
local function source_copy()
  local d = T.tmpdir()
  local status, _, err = T.sh(string.format("cd %s && cp -r Makefile luagrad-scm-1.rockspec src lua doc examples %s/",
    q(ROOT), q(d)))
  T.eq(status, 0, err)
  return d
end

local function closed_form(w) return 14 / 3 * (w - 2) ^ 2 end

local built  -- the tree luarocks installed into, once built
local function rock_tree()
  if built then return built end
  local src = source_copy()
  local tree = T.tmpdir()
  -- Lua's headers as pkg-config gives them: luarocks guesses them from where
  -- the lua5.4 on PATH lives, which a PATH of links (CI's bare run) misleads
  local pc = io.popen("pkg-config --cflags lua5.4 2>/dev/null")
  local incdir = (pc:read("a") or ""):match("%-I(%S+)")
  pc:close()
  local status, out, err = T.sh(string.format("cd %s && luarocks --lua-version 5.4 make --tree %s luagrad-scm-1.rockspec%s",
    q(src), q(tree), incdir and (" LUA_INCDIR=" .. q(incdir)) or ""))
  T.eq(status, 0, out .. err)
  built = tree
  return tree
end

local function lua_with(tree, args, dir)
  local cpath = tree .. "/lib/lua/5.4/?.so"
  return T.sh(string.format("cd %s && LUA_CPATH=%s LUA_PATH=';;' lua5.4 %s", q(dir or T.tmpdir()), q(cpath), args))
end

T.needs(TOOLS, "luarocks make installs luagrad.so into a tree", function()
  local tree = rock_tree()
  T.truthy(io.open(tree .. "/lib/lua/5.4/luagrad.so"), "luagrad.so installed")
end)

T.needs(TOOLS, "lua5.4 runs examples/w_scan.lua with the module: the program's CSV, the closed form", function()
  local tree = rock_tree()
  local dir = T.tmpdir()
  local status, out, err = lua_with(tree, "-e 'require(\"luagrad\").globals()' " .. q(ROOT .. "/examples/w_scan.lua"), dir)
  T.eq(status, 0, err)
  T.contains(out, "report: best_w=2.0 min_mse=0.0")
  local pout = T.tmpdir()
  local pstatus, _, perr = T.run({ "-q", "--out", pout, "examples/w_scan.lua" })
  T.eq(pstatus, 0, perr)
  local mine, theirs = T.slurp(dir .. "/w_scan.csv"), T.slurp(pout .. "/w_scan.csv")
  T.eq(mine, theirs, "w_scan.csv of lua5.4 and of luagrad")
  local n = 0
  for w, mse in mine:gmatch("\n([^,\n]+),([^,\n]+)") do
    n = n + 1
    T.near(tonumber(mse), closed_form(tonumber(w)), 1e-12, "MSE at w = " .. w)
    T.near(tonumber(w), (n - 1) / 10, 1e-15, "w of row " .. n)
  end
  T.eq(n, 41, "rows")
  -- the MSE lines printed (Lua's 14 digits here) are the same numbers
  local k = 0
  for mse in out:gmatch("MSE=\t([^\n]+)") do
    k = k + 1
    T.near(tonumber(mse), closed_form((k - 1) / 10), 1e-12, "printed MSE " .. k)
  end
  T.eq(k, 41, "printed MSEs")
end)

-- The README's one-liner, word for word (keep the two in step).
local ONE_LINER = [[lua5.4 -e 'local lg = require "luagrad"
local x, y, m = lg.tensor{1, 2, 3}, lg.tensor{2, 4, 6}, lg.model.linear{}
for _, w in ipairs(lg.tensor.range(0, 4, 0.1):totable()) do
  m.w = w; print(w, lg.loss.mse(m, x, y))
end']]

T.needs(TOOLS, "the README's lua5.4 -e one-liner runs the w-scan", function()
  T.truthy(T.slurp("README.md"):find(ONE_LINER, 1, true), "README.md shows the one-liner of this test")
  local tree = rock_tree()
  local status, out, err = lua_with(tree, ONE_LINER:sub(#"lua5.4 " + 1))
  T.eq(status, 0, err)
  local n = 0
  for w, mse in out:gmatch("([^\t\n]+)\t([^\n]+)") do
    n = n + 1
    T.near(tonumber(w), (n - 1) / 10, 1e-15, "w")
    T.near(tonumber(mse), closed_form(tonumber(w)), 1e-12, "MSE at w = " .. w)
  end
  T.eq(n, 41, "lines")
end)

T.needs(TOOLS, "the module: every primitive, outdir, params' defaults, help", function()
  local tree = rock_tree()
  local dir = T.tmpdir()
  T.write(dir .. "/m.lua", [[
local lg = require "luagrad"
for _, k in ipairs{ "tensor", "model", "loss", "grad", "optim", "fit", "scan", "rng", "csv",
                    "plot", "autograd", "nn", "data", "params", "report", "help" } do
  assert(lg[k] ~= nil, k)
end
assert(tensor == nil, "no globals unless asked")
print("out", lg.outdir())
print("out", lg.outdir("res"))
local w = lg.csv.writer("a.csv", { "x" }); w:row(1); print("path", w:close())
print("P", lg.params{ lr = 0.5 }.lr)
local net = lg.nn.Sequential(lg.nn.Linear(2, 1))
print("params", #net:parameters())
lg.help(lg.loss.mse)
print(pcall(lg.outdir, 3))
]])
  local status, out, err = lua_with(tree, "m.lua", dir)
  T.eq(status, 0, err)
  T.contains(out, "out\t.\n", "out\tres\n", "path\tres/a.csv\n", "P\t0.5\n", "params\t2\n",
    "loss.mse(yhat, y, ys?) -> number\n",
    "false\tluagrad.outdir: dir must be a folder name, got number")
  T.truthy(io.open(dir .. "/res/a.csv"), "res/a.csv written")
end)

T.test("require \"luagrad\" in a luagrad script gives the program's own modules", function()
  local lg = require("luagrad")
  for _, k in ipairs{ "tensor", "model", "loss", "grad", "optim", "fit", "scan", "rng", "csv",
                      "plot", "autograd", "nn", "data", "params", "report", "help" } do
    T.truthy(rawequal(lg[k], _G[k]), "lg." .. k .. " is the global " .. k)
  end
  T.eq(lg.nnc, nil, "internal modules stay out")
  T.eq(lg.outdir(), luagrad.out, "lg.outdir() is the run's folder")
  T.raises(function() lg.outdir("") end, "luagrad.outdir: dir must be a folder name, got ''")
end)

T.needs(TOOLS, "make install PREFIX= installs everything; make uninstall removes it", function()
  local src = source_copy()
  local prefix = T.tmpdir() .. "/usr"
  local status, out, err = T.sh(string.format("cd %s && make -j2 install PREFIX=%s", q(src), q(prefix)))
  T.eq(status, 0, out .. err)
  local files = { "bin/luagrad", "lib/lua/5.4/luagrad.so", "share/man/man1/luagrad.1",
    "share/luagrad/types/tensor.lua", "share/luagrad/types/luagrad.lua",
    "share/luagrad/examples/w_scan.lua", "share/luagrad/examples/data/iris.csv" }
  for _, f in ipairs(files) do T.truthy(io.open(prefix .. "/" .. f), f .. " installed") end
  local s2, out2, err2 = T.sh(string.format("(cd %s && LUA_CPATH=%s lua5.4 -e 'print(require(\"luagrad\").version)' && %s -q --out %s %s)",
    q(T.tmpdir()), q(prefix .. "/lib/lua/5.4/?.so"), q(prefix .. "/bin/luagrad"), q(T.tmpdir()),
    q(prefix .. "/share/luagrad/examples/w_scan.lua")))
  T.eq(s2, 0, err2)
  T.truthy(out2:match("^%d+%.%d+%.%d+\n"), "version printed: " .. out2)
  status, out, err = T.sh(string.format("(cd %s && make -s uninstall PREFIX=%s >/dev/null && find %s -type f)",
    q(src), q(prefix), q(prefix)))
  T.eq(status, 0, err)
  T.eq(out, "", "files left after make uninstall")
end)

T.done()
