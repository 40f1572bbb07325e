-- tests/test_defs.lua: the editor definitions (lua/types/*.lua) against the
-- program, both ways: every function luagrad registers (walked at run time:
-- the globals, the module tables, the methods of each class) has a
-- definition, and every definition names a function that exists. Then
-- help(), which prints from the same definitions.
local T = dofile("tests/check.lua")
local defs = require("luagrad.defs")
local help = require("luagrad.help")

-- The definitions as shipped (the files), which must also be the ones
-- built into the binary (help reads those).
local files = {}
local p = io.popen("ls lua/types/*.lua")
for path in p:lines() do files[path:match("[^/]+$")] = T.slurp(path) end
p:close()
local list = defs.read(files)
local defined = {}
for _, e in ipairs(list) do defined[e.name] = e end

T.test("the binary carries the current definitions (make rebuilds it)", function()
  local built = require("luagrad.types")
  for name, text in pairs(files) do
    T.truthy(built[name] == text, "lua/types/" .. name .. " differs from the copy built into luagrad: run make")
  end
  for name in pairs(built) do T.truthy(files[name], "built-in " .. name .. " is a file of lua/types") end
end)

-- Lua's own globals; everything else in _G is luagrad's.
local STD = {}
for w in ([[assert collectgarbage dofile error getmetatable ipairs load loadfile next
  pairs pcall print rawequal rawget rawlen rawset require select setmetatable tonumber
  tostring type xpcall _G _VERSION coroutine debug io math os package string table
  utf8 warn]]):gmatch("%S+") do STD[w] = true end

-- Every function the program registers, by the name a definition gives it.
-- Most globals load on first use (src/host/lazy.h, registry key LAZY_KEY):
-- use each, so that pairs(_G) finds it.
local function registered()
  local names = {}
  local function add(name) names[#names + 1] = name end
  for _, k in ipairs(debug.getregistry()["luagrad.lazy"][3]()) do local _ = _G[k] end
  for k, v in pairs(_G) do
    if not STD[k] then
      if type(v) == "function" then add(k)
      elseif type(v) == "table" and k ~= "luagrad" then
        for f, fv in pairs(v) do
          if type(fv) == "function" then
            -- tensor.abs(t) is t:abs(): defined once, as the method
            if k == "tensor" and not defined["tensor." .. f] then add("Tensor:" .. f)
            else add(k .. "." .. f) end
          elseif type(fv) == "table" and k == "nn" then
            add("nn." .. f)  -- a class: its own definition
            for m, mv in pairs(fv) do
              if type(mv) == "function" and not m:find("^_") then add("nn.Module:" .. m) end
            end
          end
        end
      end
    end
  end
  for _, class in ipairs{ "Tensor", "Model", "Optimizer", "Loader" } do
    for m, mv in pairs(help.methods(class)) do
      if type(mv) == "function" and not m:find("^_") then add(class .. ":" .. m) end
    end
  end
  local lg = require("luagrad")
  for k, v in pairs(lg) do
    if type(v) == "function" and not rawequal(v, _G[k]) then add("lg." .. k) end
  end
  -- A csv writer's methods come from an __index function: ask one.
  local w = csv.writer(T.tmpdir() .. "/w.csv", { "a" })
  for _, m in ipairs{ "row", "close" } do
    if type(w[m]) == "function" then add("CsvWriter:" .. m) end
  end
  w:close()
  return names
end

T.test("every function luagrad registers has a definition", function()
  local missing, n = {}, 0
  for _, name in ipairs(registered()) do
    n = n + 1
    if not defined[name] then missing[#missing + 1] = name end
  end
  table.sort(missing)
  T.truthy(n > 100, "walked " .. n .. " functions")
  T.eq(table.concat(missing, " "), "", "functions without a definition")
end)

T.test("every definition names a function that exists", function()
  local reg = {}
  for _, name in ipairs(registered()) do reg[name] = true end
  local extra = {}
  for _, e in ipairs(list) do
    if e.kind == "function" and not reg[e.name] then extra[#extra + 1] = e.name end
    if e.kind == "class" and e.global then
      local v = help.resolve(e.global)
      if v == nil then extra[#extra + 1] = e.global end
    end
  end
  T.eq(table.concat(extra, " "), "", "definitions of nothing")
end)

T.test("every definition has a one-line description, every parameter and return one too", function()
  local bad = {}
  for _, e in ipairs(list) do
    if not e.brief then bad[#bad + 1] = e.name .. " (description)" end
    for _, x in ipairs(e.params) do
      if x.desc == "" or x.type == "" then bad[#bad + 1] = e.name .. " " .. x.name end
    end
    for _, x in ipairs(e.returns) do
      if x.name == "" or x.desc == "" then bad[#bad + 1] = e.name .. " -> " .. x.type end
    end
    if e.kind == "function" then
      local text = table.concat(e.text, "\n")
      if not text:find("Errors:", 1, true) then bad[#bad + 1] = e.name .. " (Errors:)" end
      if not text:find("Example:", 1, true) then bad[#bad + 1] = e.name .. " (Example:)" end
      local named = {}
      for _, x in ipairs(e.params) do named[x.name] = true end
      for _, a in ipairs(e.args) do
        if not named[a] then bad[#bad + 1] = e.name .. " argument " .. a end
      end
    end
  end
  T.eq(table.concat(bad, ", "), "", "incomplete definitions")
end)

-- help at the prompt and in scripts, through the binary.
local function help_of(code)
  local status, out, err = T.run({ "-" }, code)
  T.eq(status, 0, err)
  return out
end

T.test("help(fn) prints the signature and the one-line description", function()
  T.eq(help_of("help(loss.mse)"):match("^[^\n]*\n[^\n]*\n"),
    "loss.mse(yhat, y, ys?) -> number\n  The mean squared error over tensors; or loss.mse(m, xs, ys)"
    .. " for model m on a data set, in one pass.\n")
  T.contains(help_of("help(tensor{1}.sum)"), "Tensor:sum(dim?) -> number|Tensor\n")
  T.contains(help_of("help(tensor.abs)"), "Tensor:abs() -> Tensor\n")
  T.contains(help_of("help(nn.Module.parameters)"), "nn.Module:parameters() -> Tensor[]\n")
  T.contains(help_of("help(fit)"), "fit(m, xs, ys, opts) -> {epochs: integer, loss: number}\n")
  T.contains(help_of("help(require('luagrad').outdir)"), "lg.outdir(dir?) -> string\n")
  T.contains(help_of("help('optim.sgd')"), "optim.sgd(m, opts) -> Optimizer\n", "  opts       the options\n")
end)

T.test("help(module) lists its functions, one line each", function()
  local out = help_of("help(optim)")
  T.contains(out, "optim: Optimizers over", "\n  optim.gd(m, opts)", "Plain gradient descent",
    "\n  optim.adam(m, opts?)")
  T.contains(help_of("help(tensor)"), "tensor.zeros(n, cols?)", 'help("Tensor")')
  T.contains(help_of("help(tensor{1})"), "Tensor: A vector or matrix", "Tensor:sum(dim?)", ".grad")
  T.contains(help_of("help(nn.Linear)"), "nn.Linear: A fully connected layer")
  T.contains(help_of("help(nn)"), "\n  nn.Linear  ", "\n  nn.CrossEntropyLoss  ", "\n  nn.Module:parameters()")
end)

T.test("help() alone lists every module and the global functions", function()
  local out = help_of("help()")
  for _, m in ipairs{ "autograd", "csv", "data", "grad", "loss", "model", "nn", "optim", "plot", "rng",
                      "scan", "tensor" } do
    T.truthy(out:find("\n  " .. m .. " +%S"), m .. " listed in:\n" .. out)
  end
  T.contains(out, "and the functions fit, params, report, help, progress\n")
end)

T.test("help of something without a definition says so", function()
  T.eq(help_of("help(3)"), "help: no definition for number; try help(tensor), help(loss),"
    .. " help(nn) or help(\"Tensor\")\n")
  T.contains(help_of("help('nosuch')"), 'help: no definition for "nosuch"')
end)

T.done()
