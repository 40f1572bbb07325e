-- tests/test_params.lua: the parameter mechanism, params{...} and key=value
-- on the command line, through the real luagrad binary.
local T = dofile("tests/check.lua")
local folder = T.folder
local Q = T.quote
local USAGE = "usage: luagrad [options] SCRIPT.lua"


-- The script below prints every parameter with its Lua type, after params{}
-- has resolved them, and leaves a marker file proving its body ran.
local ALL = [[
local P = params{ lr = 0.01, epochs = 100, shuffle = false, name = "run" }
local function show(v) return tostring(v) .. ":" .. (math.type(v) or type(v)) end
io.write("lr=", show(P.lr), " epochs=", show(P.epochs), " shuffle=", show(P.shuffle),
         " name=[", P.name, "]:", type(P.name), "\n")
io.open(luagrad.script:match("^(.*)/") .. "/body-ran", "w"):close()
]]

local function run_all(...)
  local d = folder{ ["all.lua"] = ALL }
  local args = { "--out", d .. "/o", d .. "/all.lua", ... }
  local st, out, err = T.run(args)
  local ran = T.slurp(d .. "/body-ran") ~= nil
  return st, out, err, ran
end

-- The line the script prints about its parameters.
local function values(...)
  local st, out, err = run_all(...)
  T.eq(st, 0, "status (stderr: " .. tostring(err) .. ")")
  return out:match("\n(lr=[^\n]*)")
end

T.test("defaults are used when nothing is overridden", function()
  T.eq(values(), "lr=0.01:float epochs=100:integer shuffle=false:boolean name=[run]:string", "values")
end)

T.test("key=value overrides, converted to the default's type", function()
  T.eq(values("lr=0.5", "epochs=3", "shuffle=true", "name=fast"),
    "lr=0.5:float epochs=3:integer shuffle=true:boolean name=[fast]:string", "values")
end)

T.test("a float parameter given an integer text stays a float", function()
  T.contains(values("lr=1"), "lr=1.0:float")
  T.contains(values("lr=-2"), "lr=-2.0:float")
  T.contains(values("lr=1e-3"), "lr=0.001:float")
end)

T.test("an integer given as 1e3 is the integer 1000", function()
  T.contains(values("epochs=1e3"), "epochs=1000:integer")
  T.contains(values("epochs=-7"), "epochs=-7:integer")
  T.contains(values("epochs=2.0"), "epochs=2:integer")
end)

T.test("boolean spellings: true/false, yes/no, on/off, 1/0, any case", function()
  for _, s in ipairs{ "true", "yes", "on", "1", "TRUE", "Yes", "ON" } do
    T.contains(values("shuffle=" .. s), "shuffle=true:boolean")
  end
  for _, s in ipairs{ "false", "no", "off", "0", "False", "NO", "Off" } do
    T.contains(values("shuffle=" .. s), "shuffle=false:boolean")
  end
end)

T.test("string values are taken as they are", function()
  T.contains(values("name=two words"), "name=[two words]:string")
  T.contains(values("name="), "name=[]:string")
  T.contains(values("name=a=b,c"), "name=[a=b,c]:string")
  T.contains(values("name=42"), "name=[42]:string")
end)

-- A refused key=value: exit 2, the message, the usage line, body not run.
local function refused(args, ...)
  local st, out, err, ran = run_all(table.unpack(args))
  T.eq(st, 2, "status of " .. table.concat(args, " "))
  T.contains(err, ...)
  T.contains(err, USAGE)
  T.eq(ran, false, "the script's body ran")
  T.eq(out, "", "stdout")
end

T.test("an unknown key is an error naming the known keys with their defaults", function()
  refused({ "lrr=0.5" }, "luagrad: unknown parameter 'lrr' (in lrr=0.5);",
    "declares: epochs=100 (integer), lr=0.01 (float), name=\"run\" (string), shuffle=false (boolean)")
end)

T.test("a value that does not fit the type is an error naming key, value, default", function()
  refused({ "epochs=ten" }, "luagrad: parameter 'epochs': 'ten' is not an integer (default 100)")
  refused({ "epochs=1.5" }, "luagrad: parameter 'epochs': '1.5' is not an integer (default 100)")
  refused({ "epochs=1e300" }, "parameter 'epochs': '1e300' is not an integer")
  refused({ "epochs=" }, "parameter 'epochs': '' is not an integer")
  refused({ "lr=fast" }, "luagrad: parameter 'lr': 'fast' is not a number (default 0.01)")
  refused({ "shuffle=maybe" },
    "luagrad: parameter 'shuffle': 'maybe' is not a boolean (true/false, yes/no, on/off, 1/0) (default false)")
end)

T.test("a number-or-word parameter is declared as a string (README's batch example)", function()
  local d = folder{ ["b.lua"] = 'local P = params{ batch = "64" }\n'
    .. 'local batch = tonumber(P.batch) or P.batch\nio.write(tostring(batch), " ", type(batch), "\\n")\n',
    ["n.lua"] = 'local P = params{ batch = 64 }\n' }
  local cases = { { "", "64 number\n" }, { "batch=full", "full string\n" }, { "batch=256", "256 number\n" } }
  for _, c in ipairs(cases) do
    local st, out, err = T.run_in(d, "-q --out o b.lua " .. c[1])
    T.eq(st, 0, c[1] .. ": " .. err)
    T.eq(out, c[2], c[1])
  end
  local st, _, err = T.run_in(d, "--out o n.lua batch=full")
  T.eq(st, 2, "a number parameter refuses a word")
  T.contains(err, "parameter 'batch': 'full' is not an integer (default 64)")
end)

T.test("the same key given twice is an error", function()
  local st, _, err = T.run{ "x.lua", "lr=1", "lr=2" }
  T.eq(st, 2, "status")
  T.contains(err, "luagrad: parameter given twice: 'lr=2'", USAGE)
end)

T.test("whether a script declares parameters is found by running it, not by reading it", function()
  local d = folder{
    ["none.lua"] = 'print("ran")\n',
    ["comment.lua"] = '-- params are not used here\nlocal s = "params" .. [[params]]\nprint("ran")\n',
    -- the method m:params() and a field t.params are not the global params
    ["method.lua"] = 'local m = model.affine{}\nlocal t = { params = m:params() }\n' ..
      'print("ran")\n',
  }
  for _, name in ipairs{ "none.lua", "comment.lua", "method.lua" } do
    local st, out, err = T.run_in(d, "--out o " .. name .. " lr=0.5")
    T.eq(st, 2, "status of " .. name)
    T.contains(err, "luagrad: " .. name .. " never called params{...}, so 'lr=0.5' was not used", USAGE)
    T.eq(out, "ran\n", "stdout")
  end
  -- the forms a lexer would miss are found: require("params"), _G.params
  local forms = {
    ["req.lua"] = 'local P = require("params"){ lr = 0.1 }\nprint(P.lr)\n',
    ["g.lua"] = 'local P = _G.params{ lr = 0.1 }\nprint(P.lr)\n',
    ["alias.lua"] = 'local p = params\nlocal P = p{ lr = 0.1 }\nprint(P.lr)\n',
  }
  for name, text in pairs(forms) do
    T.write(d .. "/" .. name, text)
    local st, out, err = T.run_in(d, "--out o " .. name .. " lr=0.5")
    T.eq(st, 0, name .. ": " .. err)
    T.eq(out, "params: lr=0.5\n0.5\n", name)
    st, out = T.run_in(d, "--params " .. name)
    T.eq(st, 0, "--params " .. name)
    T.contains(out, "parameters of " .. name .. ":\n  lr               0.1 ")
  end
end)

T.test("a script that mentions params but never calls it: exit 2 at the end", function()
  local d = folder{ ["maybe.lua"] = 'if false then params{ lr = 1 } end\nprint("body")\n' }
  local st, out, err = T.run{ "--out", d .. "/o", d .. "/maybe.lua", "lr=0.5" }
  T.eq(st, 2, "status")
  T.contains(out, "body")
  T.contains(err, "luagrad: " .. d .. "/maybe.lua never called params{...}, so 'lr=0.5' was not used", USAGE)
end)

T.test("--params lists names, defaults and types without running the experiment", function()
  local d = folder{ ["all.lua"] = ALL }
  local st, out, err = T.run{ "--params", "--out", d .. "/o", d .. "/all.lua" }
  T.eq(st, 0, "status " .. err)
  T.eq(out, "parameters of " .. d .. "/all.lua:\n" ..
    "  epochs           100                      integer\n" ..
    "  lr               0.01                     float\n" ..
    "  name             \"run\"                    string\n" ..
    "  shuffle          false                    boolean\n", "listing")
  T.eq(T.slurp(d .. "/body-ran"), nil, "the body after params{} did not run")
  T.eq(T.slurp(d .. "/o/run.json"), nil, "--params writes no run.json")
  -- after the script too
  local st2, out2 = T.run{ d .. "/all.lua", "--params" }
  T.eq(st2, 0, "status")
  T.eq(out2, out, "--params after the script")
end)

T.test("--params on a script without parameters says so, after running it", function()
  local d = folder{
    ["none.lua"] = 'print("quiet")\n',
    ["maybe.lua"] = 'if false then params{} end\n',
  }
  local st, out = T.run_in(d, "--params none.lua")
  T.eq(st, 0, "status")
  T.eq(out, "none.lua declares no parameters\n", "stdout (the script's print is silenced)")
  st, out = T.run{ "--params", "--out", d .. "/o", d .. "/maybe.lua" }
  T.eq(st, 0, "status")
  T.eq(out, d .. "/maybe.lua declares no parameters\n", "stdout")
end)

T.test("--params reports a syntax error, even without params{} in the script", function()
  local d = folder{ ["syn.lua"] = "x = = 1\n", ["synp.lua"] = "local P = params{ a = 1 }\nx = = 1\n" }
  for _, name in ipairs{ "syn.lua", "synp.lua" } do
    local st, out, err = T.run{ "--params", "--out", d .. "/o", d .. "/" .. name }
    T.eq(st, 1, "status of " .. name)
    T.eq(out, "", "stdout")
    T.contains(err, "luagrad: " .. d .. "/" .. name .. ":" .. (name == "syn.lua" and 1 or 2) ..
      ": unexpected symbol near '='")
  end
  T.eq(T.slurp(d .. "/o/run.json"), nil, "no run.json")
end)

T.test("--params still checks the key=value words", function()
  local d = folder{ ["all.lua"] = ALL }
  local st, _, err = T.run{ "--params", d .. "/all.lua", "lrr=1" }
  T.eq(st, 2, "status")
  T.contains(err, "unknown parameter 'lrr'")
end)

T.test("--params keeps a string default with a newline on one line", function()
  local d = folder{ ["s.lua"] = 'params{ sep = "a\\nb" }\n' }
  local _, out = T.run{ "--params", d .. "/s.lua" }
  T.contains(out, '  sep              "a\\nb"                   string\n')
end)

T.test("the resolved parameters are printed at the start, not with -q", function()
  local d = folder{ ["all.lua"] = ALL }
  local st, out = T.run{ "--out", d .. "/o", d .. "/all.lua", "lr=0.5", "name=a b" }
  T.eq(st, 0, "status")
  T.eq(out:match("^[^\n]*"), 'params: epochs=100 lr=0.5 name="a b" shuffle=false', "first line")
  local d2 = folder{ ["p.lua"] = 'local P = params{ lr = 0.1 }\nprint("progress")\n' }
  st, out = T.run{ "-q", "--out", d2 .. "/o", d2 .. "/p.lua", "lr=0.2" }
  T.eq(st, 0, "status")
  T.eq(out, "", "stdout under -q")
end)

T.test("reading an undeclared parameter is an error with the script's line", function()
  local d = folder{ ["typo.lua"] = 'local P = params{ lr = 0.1 }\nlocal x = 1\nprint(P.lrr)\n' }
  local st, _, err = T.run{ "--out", d .. "/o", d .. "/typo.lua" }
  T.eq(st, 1, "status")
  T.contains(err, "luagrad: " .. d .. "/typo.lua:3: params: no parameter 'lrr'; declared: lr=0.1 (float)",
    "stack traceback:")
end)

T.test("parameters are read-only and can be listed with pairs", function()
  local d = folder{
    ["set.lua"] = 'local P = params{ lr = 0.1 }\nP.lr = 2\n',
    ["pairs.lua"] = 'local P = params{ a = 1, b = "x" }\nlocal t = {}\n' ..
      'for k, v in pairs(P) do t[#t + 1] = k .. "=" .. tostring(v) end\n' ..
      'table.sort(t)\nio.write(table.concat(t, " "), "\\n")\n',
  }
  local st, _, err = T.run{ "--out", d .. "/o", d .. "/set.lua" }
  T.eq(st, 1, "status")
  T.contains(err, "set.lua:2: params: parameters are read-only (tried to set 'lr')")
  local st2, out = T.run{ "-q", "--out", d .. "/o", d .. "/pairs.lua", "b=y" }
  T.eq(st2, 0, "status")
  T.eq(out, "a=1 b=y\n", "pairs")
end)

T.test("params{} itself checks its argument", function()
  local cases = {
    { "params{ lr = 1 }\nparams{ x = 2 }\n", "params: called twice; declare every parameter in one params{...} call", ":2:" },
    { "params(3)\n", "params: expected a table of defaults like params{ lr = 0.01 }, got number", ":1:" },
    { "params{ lr = {} }\n", "params: default of 'lr' must be a number, boolean or string, got table", ":1:" },
    { "params{ [1] = 2 }\n", "params: parameter names must be identifiers, got 1", ":1:" },
  }
  for i, c in ipairs(cases) do
    local d = folder{ ["bad.lua"] = c[1] }
    local st, _, err = T.run{ "--out", d .. "/o", d .. "/bad.lua" }
    T.eq(st, 1, "status of case " .. i)
    T.contains(err, "bad.lua" .. c[3] .. " " .. c[2])
  end
end)

T.test("examples/hello.lua: lr=0.5 shows, lrr=0.5 names lr, --params lists both", function()
  local d = T.tmpdir()
  local st, out = T.run{ "--out", d, "examples/hello.lua", "lr=0.5" }
  T.eq(st, 0, "status")
  T.contains(out, "params: epochs=5 lr=0.5")
  local st2, _, err = T.run{ "--out", d, "examples/hello.lua", "lrr=0.5" }
  T.eq(st2, 2, "status")
  T.contains(err, "unknown parameter 'lrr'", "lr=0.1 (float)")
  local st3, out3 = T.run{ "--params", "examples/hello.lua" }
  T.eq(st3, 0, "status")
  T.contains(out3, "  epochs           5", "integer", "  lr               0.1", "float")
end)

T.test("a number that overflows a double is refused, as inf would be", function()
  local d = folder{ ["f.lua"] = 'local P = params{ lr = 0.1, n = 10 }\nprint(P.lr)\n' }
  local st, _, err = T.run{ "--out", d .. "/o", d .. "/f.lua", "lr=1e400" }
  T.eq(st, 2, "status")
  T.contains(err, "parameter 'lr': '1e400' is not a number (default 0.1)")
  st, _, err = T.run{ "--out", d .. "/o", d .. "/f.lua", "lr=inf" }
  T.eq(st, 2, "status for inf")
end)

T.done()
