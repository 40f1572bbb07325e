-- tests/test_host.lua: the luagrad program itself, driven from outside through
-- the real binary: exit statuses, command-line errors, script errors with
-- their traceback, --out, --seed, --help, --version, stdin and #! scripts,
-- os.exit, the interactive prompt (through a pseudo-terminal), Ctrl-C, and
-- make install. The parameter mechanism has its own file, test_params.lua.
local T = dofile("tests/check.lua")
local folder, run_in, exists = T.folder, T.run_in, T.exists

local ROOT = require("luagrad.sys").cwd()
local EXE = T.exe
local Q = T.quote
local USAGE = "usage: luagrad [options] SCRIPT.lua"




-- Every command-line error: exit 2, "luagrad: <what>" and the usage line.
local function usage_error(args, ...)
  local st, out, err = T.run(args)
  T.eq(st, 2, "exit status of luagrad " .. table.concat(args, " "))
  T.contains(err, "luagrad: ", ...)
  T.contains(err, USAGE)
  return out, err
end

-- ---- exit statuses and command-line errors ---------------------------------

T.test("a script that succeeds exits 0", function()
  local d = folder{ ["ok.lua"] = 'print("fine")\n' }
  local st, out, err = T.run{ "--out", d .. "/o", d .. "/ok.lua" }
  T.eq(st, 0, "status")
  T.contains(out, "fine")
  T.eq(err, "", "stderr")
end)

-- Start-up: the modules load on first use (src/host/lazy.h); a script sees
-- the same globals, and require the same tables, as if all were loaded.
T.test("globals load on first use, as if they had been there from the start", function()
  local d = folder{ ["g.lua"] = [[
print(package.loaded["luagrad.plot"] == nil, package.loaded.tensor == nil)
print(require("plot") == plot, require("tensor") == tensor, type(params), type(help))
print(package.loaded["luagrad.plot"] ~= nil, package.loaded.model ~= nil)
nn = nil
print(nn, type(require("nn")))
data = 5
print(data)
print(type(report), type(loss.mse))
]] }
  local st, out, err = run_in(d, "g.lua")
  T.eq(st, 0, "exit status; stderr: " .. err)
  T.eq(out, "true\ttrue\ntrue\ttrue\tfunction\tfunction\ntrue\ttrue\nnil\ttable\n5\n"
    .. "function\tfunction\n", "output")
end)

T.test("pairs(_G) lists every global; a strict-mode metatable on _G keeps them all", function()
  local d = folder{ ["strict.lua"] = [[
local names = {}
for k in pairs(_G) do names[k] = true end
print(names.tensor, names.nn, names.plot, names.params, names.help)
nn = nil
local seen = {}
for k in pairs(_G) do seen[k] = true end
print(seen.nn, seen.tensor)
-- strict mode, as a course script may set it: unknown globals are errors
setmetatable(_G, { __index = function(_, k) error("undeclared global " .. k, 2) end,
                   __newindex = function(t, k, v) rawset(t, k, v) end })
print(type(tensor), type(plot), type(data), type(help), rawget(_G, "nn"))
print(pcall(function() return undeclared_name end))
]] }
  local st, out, err = run_in(d, "strict.lua")
  T.eq(st, 0, "exit status; stderr: " .. err)
  local lines = T.lines(out)
  T.eq(lines[1], "true\ttrue\ttrue\ttrue\ttrue", "pairs sees the globals not yet used")
  T.eq(lines[2], "nil\ttrue", "a global the script removed stays removed")
  T.eq(lines[3], "table\ttable\ttable\tfunction\tnil", "globals after setmetatable(_G, strict)")
  T.contains(lines[4], "false", "undeclared global undeclared_name")
end)

T.test("an unknown option exits 2 naming it, with the usage line", function()
  usage_error({ "--bogus" }, "unknown option '--bogus'")
  usage_error({ "-x", "a.lua" }, "unknown option '-x'")
end)

T.test("a missing script exits 2 with the system's reason", function()
  local d = folder()
  usage_error({ d .. "/nope.lua" }, "cannot open '" .. d .. "/nope.lua': No such file or directory")
end)

-- root reads any file: that test drops to the user nobody with setpriv.
local is_root = select(2, T.sh("id -u")):match("^0\n") ~= nil
T.needs(is_root and { "setpriv" } or {}, "an unreadable script exits 2 (permission denied)", function()
  local d = folder{ ["secret.lua"] = 'print("no")\n' }
  os.execute("chmod 755 " .. Q(d) .. " && chmod 000 " .. Q(d .. "/secret.lua"))
  local as_user, exe = "", EXE
  if is_root then
    as_user = "setpriv --reuid=65534 --regid=65534 --clear-groups "
    -- a copy nobody can run, wherever the tree under test is
    exe = d .. "/luagrad"
    os.execute("cp " .. Q(EXE) .. " " .. Q(exe) .. " && chmod 755 " .. Q(exe))
  end
  local code, out, err = T.sh(as_user .. Q(exe) .. " " .. Q(d .. "/secret.lua"))
  T.eq(code, 2, "status")
  T.contains(err, "luagrad: cannot open '" .. d .. "/secret.lua': Permission denied", USAGE)
  T.eq(out, "", "stdout")
end)

T.test("a script whose reading fails (EIO) exits 2 with the reason", function()
  -- Reading /proc/self/mem from offset 0 fails with an input/output error.
  usage_error({ "/proc/self/mem" }, "cannot read '/proc/self/mem': Input/output error")
end)

T.test("a folder given as the script exits 2", function()
  local d = folder()
  usage_error({ d }, "cannot run '" .. d .. "': it is a folder, not a script")
end)

T.test("options with a missing or bad value exit 2", function()
  usage_error({ "--out" }, "--out needs a folder")
  usage_error({ "x.lua", "--seed" }, "--seed needs a number")
  usage_error({ "--seed", "abc", "x.lua" }, "--seed: 'abc' is not a whole number from 0 to 9223372036854775807")
  usage_error({ "--seed", "-1", "x.lua" }, "--seed: '-1' is not a whole number")
  usage_error({ "--seed=9223372036854775808", "x.lua" }, "is not a whole number from 0 to 9223372036854775807")
  usage_error({ "--plot", "svg", "x.lua" }, "--plot: 'svg' is not one of png, term, none")
  usage_error({ "-j", "2", "x.lua" }, "-j is an option of 'luagrad run' and 'luagrad sweep'")
  usage_error({ "--force", "x.lua" }, "--force is an option of 'luagrad run' and 'luagrad sweep'")
  usage_error({ "--params" }, "--params needs a script")
end)

T.test("words in the wrong place exit 2", function()
  usage_error({ "lr=1", "x.lua" }, "'lr=1' comes before any script: put the script first")
  local d = folder{ ["a.lua"] = "local P = params{ lr = 1 }\n" }
  usage_error({ d .. "/a.lua", "extra" }, "unexpected argument 'extra' after the script")
end)

T.test("LUAGRAD_THREADS that is not a number of threads exits 2 naming it", function()
  local d = folder{ ["ok.lua"] = 'print("ran")\n' }
  for _, v in ipairs{ "abc", "0", "-1", "2x", " 2", "1.5" } do
    local st, out, err = T.sh("LUAGRAD_THREADS=" .. Q(v) .. " " .. Q(EXE) .. " --out " ..
                              Q(d .. "/o") .. " " .. Q(d .. "/ok.lua"))
    T.eq(st, 2, "exit status with LUAGRAD_THREADS='" .. v .. "'")
    T.contains(err, "luagrad: LUAGRAD_THREADS='" .. v .. "' is not a number of threads",
               "a whole number, 1 or more")
    T.eq(out, "", "the script did not run")
  end
  -- Empty is unset; 1, 3 and more threads than the pool's 64 all run.
  for _, v in ipairs{ "", "1", "3", "1000" } do
    local st, out = T.sh("LUAGRAD_THREADS=" .. Q(v) .. " " .. Q(EXE) .. " --out " ..
                         Q(d .. "/o") .. " " .. Q(d .. "/ok.lua"))
    T.eq(st, 0, "exit status with LUAGRAD_THREADS='" .. v .. "'")
    T.eq(out, "ran\n", "the script ran")
  end
end)

T.test("a syntax error exits 1 with file:line: message", function()
  local d = folder{ ["syn.lua"] = "local x = 1\nlocal y = = 2\n" }
  local st, out, err = T.run{ "--out", d .. "/o", d .. "/syn.lua" }
  T.eq(st, 1, "status")
  T.contains(err, "luagrad: " .. d .. "/syn.lua:2: unexpected symbol near '='")
  T.eq(out, "", "stdout")
end)

T.test("a runtime error exits 1 with file:line: message and a traceback", function()
  local d = folder{ ["rt.lua"] = 'local function f(x)\n  error("boom " .. x)\nend\nprint("before")\nf(7)\n' }
  local st, out, err = run_in(d, "rt.lua")
  T.eq(st, 1, "status")
  T.contains(out, "before")
  T.contains(err, "luagrad: rt.lua:2: boom 7\nstack traceback:", "rt.lua:2: in ", "rt.lua:5: in main chunk")
end)

T.test("a runtime error in a C function names the script's line", function()
  local d = folder{ ["c.lua"] = 'local t = nil\nprint(#t)\n' }
  local st, _, err = run_in(d, "c.lua")
  T.eq(st, 1, "status")
  T.contains(err, "luagrad: c.lua:2: attempt to get length of a nil value", "stack traceback:")
end)

T.test("an error object that is not a string is still reported", function()
  local d = folder{
    ["t.lua"] = "error({})\n",
    ["m.lua"] = 'error(setmetatable({}, { __tostring = function() return "custom failure" end }))\n',
  }
  local st, _, err = run_in(d, "t.lua")
  T.eq(st, 1, "status")
  T.contains(err, "luagrad: (error object is a table value)", "t.lua:1: in main chunk")
  st, _, err = run_in(d, "m.lua")
  T.eq(st, 1, "status")
  T.contains(err, "luagrad: custom failure", "stack traceback:")
end)

T.test("'--' ends the options: a script whose name starts with '-'", function()
  local d = folder{ ["-dash.lua"] = 'print("dash ran")\n' }
  local st, out = run_in(d, "-q -- -dash.lua")
  T.eq(st, 0, "status")
  T.eq(out, "", "stdout under -q")
  st, out = run_in(d, "-- -dash.lua")
  T.contains(out, "dash ran")
end)

-- ---- --out -------------------------------------------------------------------

local WRITER = [[
local sys = require("luagrad.sys")
local path = sys.outpath("sub/result.txt")
local f = assert(io.open(path, "w"))
f:write("written by ", luagrad.script)
f:close()
print("out=" .. luagrad.out .. " path=" .. path)
]]

T.test("--out DIR: relative output paths land in DIR", function()
  local d = folder{ ["w.lua"] = WRITER }
  local outdir = d .. "/elsewhere/deep"
  local st, out = T.run{ "--out", outdir, d .. "/w.lua" }
  T.eq(st, 0, "status")
  T.contains(out, "out=" .. outdir .. " path=" .. outdir .. "/sub/result.txt")
  T.eq(T.slurp(outdir .. "/sub/result.txt"), "written by " .. d .. "/w.lua", "file content")
  -- the --out=DIR spelling
  st, out = T.run{ "--out=" .. d .. "/second", d .. "/w.lua" }
  T.eq(st, 0, "status")
  T.truthy(exists(d .. "/second/sub/result.txt"), "file under --out=DIR")
end)

T.test("without --out, output goes to out/<script name without .lua>/", function()
  local d = folder{ ["w.lua"] = WRITER }
  os.execute("mkdir -p " .. Q(d .. "/scripts") .. " && mv " .. Q(d .. "/w.lua") .. " " .. Q(d .. "/scripts/exp1.lua"))
  local st, out = run_in(d, "scripts/exp1.lua")
  T.eq(st, 0, "status")
  T.contains(out, "out=out/exp1 ")
  T.eq(T.slurp(d .. "/out/exp1/sub/result.txt"), "written by scripts/exp1.lua", "file content")
end)

T.test("an output folder that cannot be made is found before the script runs", function()
  local d = folder{ ["w.lua"] = 'print("ran")\n', ["blocker"] = "a file, not a folder" }
  local st, out, err = T.run{ "--out", d .. "/blocker/sub", d .. "/w.lua" }
  T.eq(st, 1, "status")
  T.eq(out, "", "the script did not run")
  T.eq(err, "luagrad: cannot create the output folder '" .. d .. "/blocker/sub': Not a directory "
    .. "(choose another with --out DIR)\n", "stderr")
  -- the check can pass: the same script runs with a folder that can be made
  T.eq(select(2, T.run{ "--out", d .. "/ok", d .. "/w.lua" }), "ran\n", "it runs elsewhere")
end)

T.test("a message never shows luagrad's own Lua files", function()
  -- the script turns its output folder into a file, so run.json (written
  -- by lua/luagrad/provenance.lua) cannot be; a report error is raised in
  -- lua/luagrad/report.lua: neither place is named
  local d = folder{
    ["gone.lua"] = 'os.remove(luagrad.out)\nio.open(luagrad.out, "w"):close()\n',
    ["rep.lua"] = 'report{ a = {} }\n',
  }
  local st, _, err = T.run{ "--out", d .. "/o", d .. "/gone.lua" }
  T.eq(st, 1, "status")
  T.eq(err, "luagrad: sys.outpath: cannot create folder '" .. d .. "/o': Not a directory\n", "stderr")
  st, _, err = T.run{ "--out", d .. "/r", d .. "/rep.lua" }
  T.eq(st, 1, "status")
  T.contains(err, "rep.lua:1: report: 'a' must be a number, string or boolean, got table",
    "stack traceback:", "rep.lua:1: in main chunk")
  T.truthy(not err:find("lua/luagrad/", 1, true), "no luagrad file in:\n" .. err)
end)

-- ---- --seed --------------------------------------------------------------------

local RANDOM = 'local t = {}\nfor i = 1, 5 do t[i] = math.random(1000000) end\n' ..
               'io.write(luagrad.seed, ":", table.concat(t, ","), "\\n")\n'

T.test("--seed N is luagrad.seed; the same seed gives the same math.random", function()
  local d = folder{ ["r.lua"] = RANDOM }
  local o = "--out=" .. d .. "/o"
  local _, a = T.run{ o, "--seed", "7", d .. "/r.lua" }
  local _, b = T.run{ o, "--seed=7", d .. "/r.lua" }
  local _, c = T.run{ o, "--seed", "8", d .. "/r.lua" }
  local _, big = T.run{ o, "--seed", "9223372036854775807", d .. "/r.lua" }
  T.truthy(a:match("^7:%d+,%d+,%d+,%d+,%d+\n$"), "seed 7 output " .. a)
  T.eq(b, a, "same seed, same numbers")
  T.truthy(c:match("^8:"), "luagrad.seed is 8")
  T.truthy(c:sub(3) ~= a:sub(3), "another seed gives other numbers")
  T.truthy(big:match("^9223372036854775807:"), "the largest seed " .. big)
end)

T.test("without --seed the seed is 42 and two runs are identical", function()
  local d = folder{ ["r.lua"] = RANDOM }
  local o = "--out=" .. d .. "/o"
  local _, a = T.run{ o, d .. "/r.lua" }
  local _, b = T.run{ o, d .. "/r.lua" }
  local _, c = T.run{ o, "--seed", "42", d .. "/r.lua" }
  T.truthy(a:match("^42:"), "default seed " .. a)
  T.eq(b, a, "second run")
  T.eq(c, a, "--seed 42 is the default")
end)

-- ---- --help, --version -------------------------------------------------------

T.test("--help mentions every option and subcommand, exits 0", function()
  for _, flag in ipairs{ "--help", "-h" } do
    local st, out, err = T.run{ flag }
    T.eq(st, 0, "status of " .. flag)
    T.eq(err, "", "stderr")
    T.contains(out, "usage:", "--out DIR", "--seed N", "--plot MODE", "png", "term", "none",
      "-q, --quiet", "--params", "-h, --help", "--version", "-j N, --jobs N", "--force",
      "--emit-jobs", "luagrad run", "luagrad sweep", "luagrad collect", "key=value",
      "exit status", "130", "log4", "lin5", "run.json",
      "luagrad collect [-q] [--plot MODE] [--html] DIR", "luagrad run|sweep|collect --help")
  end
end)

T.test("each subcommand has its own usage line and --help", function()
  local usage = {
    run = "usage: luagrad run [options] A.lua B.lua ...   (luagrad run --help for more)\n",
    sweep = "usage: luagrad sweep [options] SCRIPT.lua key=LIST ...   (luagrad sweep --help for more)\n",
    collect = "usage: luagrad collect [-q] [--plot MODE] [--html] DIR   (luagrad collect --help for more)\n",
  }
  local cases = {
    { { "run" }, "luagrad: run needs at least one script\n" .. usage.run },
    { { "collect" }, "luagrad: collect needs exactly one folder: luagrad collect DIR\n" .. usage.collect },
    { { "sweep", "-j", "0", "x.lua" }, "luagrad: -j: '0' is not a number of jobs from 1 to 1024\n" .. usage.sweep },
    { { "run", "--bogus", "x.lua" }, "luagrad: unknown option '--bogus'\n" .. usage.run },
    { { "collect", "--force", "d" }, "luagrad: --force is an option of 'luagrad sweep'\n" .. usage.collect },
    { { "run", "nope.lua" }, "luagrad: run: cannot open 'nope.lua': No such file or directory\n" .. usage.run },
    { { "-j", "0", "x.lua" }, "luagrad: -j: '0' is not a number of jobs from 1 to 1024\n"
      .. "usage: luagrad [options] SCRIPT.lua [key=value ...]   (luagrad --help for more)\n" },
  }
  for _, c in ipairs(cases) do
    local st, out, err = T.run(c[1])
    local what = table.concat(c[1], " ")
    T.eq(st, 2, "status of " .. what)
    T.eq(err, c[2], "stderr of " .. what)
    T.eq(out, "", "stdout of " .. what)
  end
  local helps = {
    run = { "usage: luagrad run [options] A.lua B.lua ...\n", "stdout.txt", "-j N, --jobs N", "-q, --quiet" },
    sweep = { "usage: luagrad sweep [options] SCRIPT.lua key=LIST ...\n", "--force", "--emit-jobs", "log4" },
    collect = { "usage: luagrad collect [-q] [--plot MODE] [--html] DIR\n", "runs.csv", "--plot MODE", "-q, --quiet" },
  }
  for cmd, want in pairs(helps) do
    for _, flag in ipairs{ "--help", "-h" } do
      local st, out, err = T.run{ cmd, flag }
      T.eq(st, 0, cmd .. " " .. flag)
      T.eq(err, "", "stderr")
      T.eq(out:sub(1, #want[1]), want[1], cmd .. " " .. flag .. " starts with its usage")
      T.contains(out, table.unpack(want, 2))
    end
  end
end)

T.test("--version prints the versions of luagrad and Lua, exits 0", function()
  local st, out = T.run{ "--version" }
  T.eq(st, 0, "status")
  T.truthy(out:match("^luagrad %d+%.%d+%.%d+ %(Lua 5%.4%.%d+%)\n$"), "version line " .. out)
end)

-- ---- stdin, #!, os.exit ------------------------------------------------------

T.test("'-' reads the script from stdin (with parameters)", function()
  local d = folder()
  local st, out, err = run_in(d, "- n=3",
    'local P = params{ n = 1 }\nprint("n is " .. P.n)\n')
  T.eq(st, 0, "status " .. err)
  T.contains(out, "n is 3")
  st, _, err = run_in(d, "-", 'print(1)\nerror("from stdin")\n')
  T.eq(st, 1, "status")
  T.contains(err, "luagrad: stdin:2: from stdin", "stack traceback:")
end)

T.test("no script and stdin not a terminal: stdin is the script", function()
  local d = folder()
  local st, out = run_in(d, "", 'print(6 * 7)\n')
  T.eq(st, 0, "status")
  T.eq(out, "42\n", "stdout")
  T.truthy(exists(d .. "/out/stdin/run.json"), "its output folder is out/stdin")
end)

T.test("no script and an empty stdin that is not a terminal: exit 2, nothing written", function()
  local d = folder()
  local st, out, err = T.sh("cd " .. Q(d) .. " && " .. Q(T.exe) .. " </dev/null")
  T.eq(st, 2, "status")
  T.eq(out, "", "stdout")
  T.eq(err, "luagrad: no script given, and stdin is empty and not a terminal (give a script, "
    .. "or start luagrad in a terminal for the prompt)\n" .. USAGE .. " [key=value ...]   (luagrad --help for more)\n", "stderr")
  T.eq(exists(d .. "/out"), false, "no out/ folder")
  -- '-' asks for stdin explicitly: an empty script is then a script
  T.eq(run_in(d, "-", ""), 0, "luagrad - </dev/null runs the empty script")
  T.truthy(exists(d .. "/out/stdin/run.json"), "and records it")
end)

T.test("a #! first line is skipped and line numbers stay right", function()
  local d = folder{ ["sb.lua"] = '#!/usr/bin/env luagrad\nprint("shebang ok")\nerror("line three")\n' }
  local st, out, err = run_in(d, "sb.lua")
  T.eq(st, 1, "status")
  T.contains(out, "shebang ok")
  T.contains(err, "sb.lua:3: line three")
  -- and run as a program, found on PATH
  os.execute("chmod +x " .. Q(d .. "/sb.lua") .. " && mkdir " .. Q(d .. "/bin") ..
    " && ln -s " .. Q(EXE) .. " " .. Q(d .. "/bin/luagrad"))
  st, out, err = T.sh("cd " .. Q(d) .. " && PATH=" .. Q(d .. "/bin") .. ":$PATH ./sb.lua")
  T.eq(st, 1, "status as a program")
  T.contains(out, "shebang ok")
  T.contains(err, "sb.lua:3: line three")
end)

T.test("os.exit(n) ends the script with that status", function()
  local cases = { { "os.exit(3)", 3 }, { "os.exit(0)", 0 }, { "os.exit()", 0 },
                  { "os.exit(true)", 0 }, { "os.exit(false)", 1 }, { "os.exit(2)", 2 } }
  for _, c in ipairs(cases) do
    local d = folder{ ["e.lua"] = c[1] .. '\nprint("after exit")\n' }
    local st, out, err = run_in(d, "e.lua")
    T.eq(st, c[2], "status of " .. c[1])
    T.eq(out, "", "nothing runs after " .. c[1])
    T.eq(err, "", "stderr of " .. c[1] .. " (no usage line for os.exit(2))")
  end
end)

T.test("os.exit inside pcall, xpcall or a coroutine still ends the script", function()
  local d = folder{
    ["p.lua"] = 'print(pcall(os.exit, 4))\nprint("after")\n',
    ["x.lua"] = 'print(xpcall(function() os.exit(5) end, debug.traceback))\nprint("after")\n',
    ["c.lua"] = 'print(coroutine.resume(coroutine.create(function() os.exit(6) end)))\nprint("after")\n',
    ["ok.lua"] = 'print(pcall(error, "caught"))\n',
  }
  for name, want in pairs{ ["p.lua"] = 4, ["x.lua"] = 5, ["c.lua"] = 6 } do
    local st, out = run_in(d, name)
    T.eq(st, want, "status of " .. name)
    T.eq(out, "", "stdout of " .. name)
  end
  local st, out = run_in(d, "ok.lua")
  T.eq(st, 0, "ordinary errors are still caught by pcall")
  T.eq(out, "false\tcaught\n", "stdout")
end)

T.test("os.exit closes to-be-closed variables on the way out", function()
  local d = folder{ ["c.lua"] = [[
local x <close> = setmetatable({}, { __close = function()
  local f = io.open("closed.txt", "w") f:write("yes") f:close()
end })
os.exit(3)
]] }
  local st = run_in(d, "c.lua")
  T.eq(st, 3, "status")
  T.eq(T.slurp(d .. "/closed.txt"), "yes", "the __close handler ran")
end)

-- ---- the prompt, through a pseudo-terminal -----------------------------------

-- Runs luagrad with no script on a terminal: `script` from util-linux gives it
-- a pseudo-terminal and types stdin_text into it.
local function prompt(stdin_text, args)
  local d = folder()
  return T.sh("cd " .. Q(d) .. " && script -qec " .. Q(Q(EXE) .. " " .. (args or "")) .. " /dev/null",
    stdin_text)
end

T.needs({ "script" }, "the prompt prints an expression's value", function()
  local st, out = prompt("6*7\n'he' .. 'llo'\n")
  T.eq(st, 0, "status at end of input")
  T.contains(out, "luagrad " , "Ctrl-D leaves", "42", "hello")
end)

T.needs({ "script" }, "the prompt's banner names every module; a table shows its contents", function()
  local st, out = prompt('{ 1, 2, { 3, { 4 } }, a = "x", b = 0.1 }\n{}\n'
    .. 'setmetatable({}, { __tostring = function() return "mine" end })\n'
    .. 'print(type(autograd.no_grad), type(nn.Linear), type(data.loader), type(progress), type(help))\n')
  T.eq(st, 0, "status")
  T.contains(out, "tensor, model, loss, grad, optim, fit, scan, rng, csv, plot, autograd, nn, data, "
    .. "params, report, progress, help at hand. Ctrl-D leaves.",
    '{ 1, 2, { 3, {...} }, a = "x", b = 0.1 }', "{}", "mine",
    "function\ttable\tfunction\tfunction\tfunction")
  T.truthy(not out:find("table: 0x", 1, true), "no table address in:\n" .. out)
end)

T.needs({ "script" }, "the prompt reads a multi-line statement to its end", function()
  local st, out = prompt("for i = 1, 2 do\nprint(i * 111)\nend\n")
  T.eq(st, 0, "status")
  T.contains(out, ">> ", "111", "222")
end)

T.needs({ "script" }, "an error at the prompt does not end it", function()
  local st, out = prompt('error("oops")\nlocal_x = 21\nlocal_x * 3\nthis is not lua\n1 + 1 == 2\n')
  T.eq(st, 0, "status")
  -- the pseudo-terminal merges stderr into the output
  local e = out:find("luagrad: stdin:1: oops", 1, true)
  T.truthy(e, "the error is shown: " .. out)
  T.truthy(out:find("63", e, true), "the prompt goes on after the error")
  T.contains(out, "syntax error near 'is'", "true")
end)

T.needs({ "script" }, "the prompt has the modules and the seed; os.exit leaves it", function()
  local st, out = prompt('luagrad.seed\ntype(params)\nos.exit(5)\nprint("not reached")\n', "--seed 9")
  T.eq(st, 5, "status of os.exit(5)")
  T.contains(out, "9", "function")
  -- the terminal echoes the typed lines: "not reached" may only appear there
  for at in out:gmatch("()not reached") do
    T.eq(out:sub(at - 1, at - 1), '"', "text before 'not reached' (printed after os.exit?)")
  end
end)

-- The C modules load together on first use: a module name the script put
-- in package.loaded (or package.preload) first stays the script's for
-- require, and luagrad's modules are still all opened and are the globals
-- (they were opened before any script line when all loaded at start).
T.test("a script's own package.loaded.tensor leaves luagrad's modules whole", function()
  local d = folder{ ["p.lua"] = [[
package.loaded.tensor = { fake = true }
package.preload.csv = function() return { mine = true } end
print(require("csv").mine, require("tensor").fake)
print(type(tensor.zeros), tensor.fake, type(csv.read))
local r = rng.uniform(3)
print(r:sum() > 0, model.linear{}:forward(tensor{ 1, 2 }))
]] }
  local st, out, err = run_in(d, "p.lua")
  T.eq(st, 0, "exit status; stderr: " .. err)
  T.eq(out, "true\ttrue\nfunction\tnil\tfunction\ntrue\ttensor{0, 0}\n", "output")
end)

-- Lua 5.1's etc/strict.lua, still copied into course folders, changes the
-- metatable _G has instead of setting one: getmetatable(_G) loads every
-- global first too (debug.getmetatable and debug.setmetatable as well).
T.test("strict.lua, which changes getmetatable(_G) in place, keeps every global", function()
  local d = folder{ ["strict.lua"] = [[
local getinfo, error, rawset, rawget = debug.getinfo, error, rawset, rawget
local mt = getmetatable(_G)
if mt == nil then
  mt = {}
  setmetatable(_G, mt)
end
mt.__declared = {}
local function what()
  local d = getinfo(3, "S")
  return d and d.what or "C"
end
mt.__newindex = function(t, n, v)
  if not mt.__declared[n] then
    local w = what()
    if w ~= "main" and w ~= "C" then error("assign to undeclared variable '" .. n .. "'", 2) end
    mt.__declared[n] = true
  end
  rawset(t, n, v)
end
mt.__index = function(t, n)
  if not mt.__declared[n] and what() ~= "C" then error("variable '" .. n .. "' is not declared", 2) end
  return rawget(t, n)
end
]], ["s.lua"] = [[
require "strict"
print(tensor{ 1, 2 }:sum(), type(plot), type(params), type(help))
print(pcall(function() return undeclared_name end))
]], ["d.lua"] = [[
debug.setmetatable(_G, { __index = function(_, k) error("undeclared " .. k, 2) end })
print(type(tensor), type(nn), type(report))
]] }
  local st, out, err = run_in(d, "s.lua")
  T.eq(st, 0, "exit status; stderr: " .. err)
  local lines = T.lines(out)
  T.eq(lines[1], "3.0\ttable\tfunction\tfunction", "the globals under strict.lua")
  T.contains(lines[2], "false", "variable 'undeclared_name' is not declared")
  st, out, err = run_in(d, "d.lua")
  T.eq(st, 0, "debug.setmetatable: exit status; stderr: " .. err)
  T.eq(out, "table\ttable\tfunction\n", "the globals after debug.setmetatable(_G, strict)")
end)

-- Lua is linked into the program (Makefile, LUA_PROG_LIBS): a C module
-- built for Debian's lua5.4 still finds Lua's API in it.
local LFS = "/usr/lib/x86_64-linux-gnu/lua/5.4/lfs.so"
if not exists(LFS) then T.skip("a script can require a Lua C module", "no " .. LFS .. " (Debian: "
  .. "apt-get install lua-filesystem)") else T.test("a script can require a Lua C module", function()
  local d = folder{ ["c.lua"] = 'local lfs = require("lfs")\nprint(lfs.attributes(".", "mode"))\n' }
  local st, out, err = run_in(d, "c.lua")
  T.eq(st, 0, "exit status; stderr: " .. err)
  T.eq(out, "directory\n", "output")
end) end

-- The program offers C modules Lua's API only: its own functions (sha256_init,
-- mem_alloc, matmul, ...) would take the place of a module's functions of
-- the same name (they crashed this module, whose helper is extern as many
-- modules' helpers are). Needs a C compiler and Lua's header.
local OWN = "a C module's own function is not replaced by the program's of the same name"
local no_cc = T.missing({ "cc" }) or not exists("/usr/include/lua5.4/lua.h") and "no /usr/include/lua5.4/lua.h"
if no_cc then T.skip(OWN, no_cc) else T.test(OWN, function()
  local d = folder{ ["own.c"] = [[
#include <lua.h>
#include <lauxlib.h>
int sha256_init(int x);
int sha256_init(int x) { return x + 1; }
static int f(lua_State *L) { lua_pushinteger(L, sha256_init((int)luaL_checkinteger(L, 1))); return 1; }
int luaopen_own(lua_State *L) { lua_newtable(L); lua_pushcfunction(L, f); lua_setfield(L, -2, "f"); return 1; }
]], ["c.lua"] = 'package.cpath = "./?.so"\nprint(require("own").f(41))\n' }
  local st, out, err = T.sh("cd " .. Q(d) .. " && cc -shared -fPIC -I/usr/include/lua5.4 -o own.so own.c")
  T.eq(st, 0, "cc: " .. out .. err)
  st, out, err = run_in(d, "c.lua")
  T.eq(st, 0, "exit status; stderr: " .. err)
  T.eq(out, "42\n", "the module's own sha256_init(41)")
end) end

-- readline is opened when the prompt starts: without it the prompt works
-- and says why there is no line editing. A private mount namespace hides
-- the library from this one run.
local READLINE = "/usr/lib/x86_64-linux-gnu/libreadline.so.8"
local NO_READLINE = "the prompt without libreadline says so and works"
local why_not = not is_root and "needs root (for a private mount namespace)"
  or not exists(READLINE) and "no " .. READLINE .. " to hide"
  or T.missing({ "script", "unshare", "mount" })
if why_not then T.skip(NO_READLINE, why_not) else T.test(NO_READLINE, function()
  local d = folder()
  local st, out = T.sh("cd " .. Q(d) .. " && unshare -m sh -c " .. Q("mount --bind /dev/null "
    .. READLINE .. " && script -qec " .. Q(Q(EXE)) .. " /dev/null"), "6*7\n")
  T.eq(st, 0, "status")
  T.contains(out, "luagrad: no line editing or history at this prompt: cannot load "
    .. "libreadline.so.8 (", "file too short", "install it with  sudo apt-get install libreadline8",
    "42")
end) end

-- ---- Ctrl-C ------------------------------------------------------------------

-- Starts a script in the background; once it wrote its marker file, sends
-- SIGINT. A background job of a non-interactive sh starts with SIGINT
-- ignored: luagrad installs its own handler, so kill -INT still works.
local function interrupt(dir, script, signal)
  local cmd = table.concat({
    "cd " .. Q(dir),
    Q(EXE) .. " " .. script .. " >stdout.txt 2>stderr.txt &",
    "pid=$!",
    "i=0; while [ ! -f marker ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done",
    "sleep 0.1; kill -" .. (signal or "INT") .. " $pid",
    "wait $pid; echo $?",
  }, "\n")
  local _, out = T.sh(cmd)
  return tonumber(out:match("(%d+)%s*$")), T.slurp(dir .. "/stdout.txt"), T.slurp(dir .. "/stderr.txt")
end

T.test("SIGTERM stops a run like Ctrl-C: exit 143, the CSV kept as incomplete, run.json", function()
  local d = folder{ ["term.lua"] = [[
local w = csv.writer("a.csv", { "x" })
w:row(1)
local m = io.open("marker", "w") m:write("started") m:close()
while true do end
]] }
  local st, _, err = interrupt(d, "term.lua", "TERM")
  T.eq(st, 143, "status: 128 + 15")
  T.truthy(err:match("^luagrad: term%.lua:%d+: interrupted by SIGTERM\n$"), "one line: " .. err)
  T.eq(T.slurp(d .. "/out/term/a.csv.incomplete"), "x\n1\n", "what was written, kept aside")
  T.contains(T.slurp(d .. "/out/term/run.json"), '"status": 143')
end)

T.test("Ctrl-C stops a Lua loop: exit 130, 'interrupted', files closed", function()
  local d = folder{ ["loop.lua"] = [[
local f <close> = setmetatable({}, { __close = function()
  local g = io.open("closed.txt", "w") g:write("closed") g:close()
end })
local m = io.open("marker", "w") m:write("started") m:close()
print("looping")
local n = 0
while true do n = n + 1 end
]] }
  local st, out, err = interrupt(d, "loop.lua")
  T.eq(st, 130, "status")
  T.contains(out, "looping")
  T.truthy(err:match("^luagrad: loop%.lua:%d+: interrupted\n$"), "one line, no traceback: " .. err)
  T.eq(T.slurp(d .. "/closed.txt"), "closed", "to-be-closed variables were closed")
  T.eq(T.slurp(d .. "/out/loop/run.json") ~= nil, true, "run.json written for the interrupted run")
  T.contains(T.slurp(d .. "/out/loop/run.json"), '"status": 130')
end)

T.test("Ctrl-C in a loop that calls functions names the place once", function()
  -- The signal's hook fires on a call here (os.clock, f), not on a count:
  -- the message must still read "loop.lua:4: interrupted", not the place twice.
  local d = folder{ ["loop.lua"] = [[
local function f() return os.clock() end
io.open("marker", "w"):close()
while true do
  f()
end
]] }
  for _, sig in ipairs{ "INT", "TERM" } do
    local st, _, err = interrupt(d, "loop.lua", sig)
    local want = sig == "INT" and "luagrad: loop.lua:%d: interrupted\n" or "luagrad: loop.lua:%d: interrupted by SIGTERM\n"
    T.eq(st, sig == "INT" and 130 or 143, sig .. ": status")
    T.truthy(err == want:format(4) or err == want:format(1), sig .. ": one place, one line: " .. err)
  end
end)

T.test("Ctrl-C stops a long C loop too (scan.mse over 1e11 points)", function()
  -- 1e6 samples times 1e5 values of w: minutes of work in C, unless the
  -- loop polls the cancel flag as it should.
  local d = folder{ ["c.lua"] = [[
local xs = tensor.range(0, 1, 1e-6)
io.open("marker", "w"):close()
local mse = scan.mse{ x = xs, y = xs, w = tensor.range(0, 100, 0.001), method = "direct" }
print("finished")
]] }
  local cmd = table.concat({
    "cd " .. Q(d),
    Q(EXE) .. " c.lua >stdout.txt 2>stderr.txt &",
    "pid=$!",
    "i=0; while [ ! -f marker ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done",
    "sleep 0.3; t0=$(date +%s%N); kill -INT $pid",
    "wait $pid; st=$?; t1=$(date +%s%N)",
    "echo $st $(( (t1 - t0) / 1000000 ))",
  }, "\n")
  local _, out = T.sh("timeout 120 sh -c " .. Q(cmd))
  local st, ms = out:match("(%d+) (%d+)")
  T.eq(tonumber(st), 130, "status")
  T.truthy(tonumber(ms) < 5000, "stopped " .. tostring(ms) .. " ms after SIGINT")
  T.eq(T.slurp(d .. "/stderr.txt"), "luagrad: c.lua:3: interrupted\n", "one line")
  T.eq(T.slurp(d .. "/stdout.txt"), "", "it did not finish")
end)

T.test("SIGINT also reaches a script started in the background of sh", function()
  -- The same through sh -c, whose background jobs ignore SIGINT by default.
  local d = folder{ ["loop.lua"] = 'io.open("marker", "w"):close()\nwhile true do end\n' }
  -- a bound, not a timing: generous, so a loaded machine or a sanitizer build is not a failure
  local cmd = "cd " .. Q(d) .. " && timeout -s KILL 120 sh -c " .. Q(Q(EXE) .. " loop.lua 2>err.txt & pid=$!; " ..
    "while [ ! -f marker ]; do sleep 0.05; done; kill -INT $pid; wait $pid; echo status=$?")
  local _, out, err = T.sh(cmd)
  T.contains(out .. err .. (T.slurp(d .. "/err.txt") or ""), "status=130")
  T.truthy(T.slurp(d .. "/err.txt"):match("^luagrad: loop%.lua:%d+: interrupted\n$"), "one line")
end)

-- Like interrupt(), but a run that ignores the signal is killed after 10 s
-- (status 137), so a failure does not hang the tests.
local function interrupt_or_kill(dir, script, signal)
  local cmd = table.concat({
    "cd " .. Q(dir),
    "timeout -s KILL 10 " .. Q(EXE) .. " " .. script .. " >stdout.txt 2>stderr.txt &",
    "pid=$!",
    "i=0; while [ ! -f marker ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done",
    "sleep 0.2; pkill -" .. signal .. " -P $pid",
    "wait $pid; echo $?",
  }, "\n")
  local _, out = T.sh(cmd)
  return tonumber(out:match("(%d+)%s*$")), T.slurp(dir .. "/stderr.txt")
end

T.test("SIGTERM and Ctrl-C stop Lua code running in a coroutine", function()
  local bodies = {
    resume = "coroutine.resume(coroutine.create(function() while true do end end))",
    wrap = "coroutine.wrap(function() while true do end end)()",
    -- a coroutine made before the signal, resumed over and over by another
    -- that ignores its errors
    nested = [[
local inner = coroutine.create(function() while true do coroutine.yield() end end)
coroutine.wrap(function() while true do coroutine.resume(inner) end end)()]],
    closing = [[
local co = coroutine.create(function()
  local c <close> = setmetatable({}, { __close = function() while true do end end })
  coroutine.yield()
end)
coroutine.resume(co)
coroutine.close(co)]],
  }
  for name, body in pairs(bodies) do
    for _, sig in ipairs({ "TERM", "INT" }) do
      local d = folder{ ["co.lua"] = 'local w = csv.writer("a.csv", { "x" })\nw:row(1)\n'
        .. 'io.open("marker", "w"):close()\n' .. body .. "\n" }
      local st, err = interrupt_or_kill(d, "co.lua", sig)
      local what = name .. ", SIG" .. sig
      T.eq(st, sig == "TERM" and 143 or 130, what .. ": status (137: it ignored the signal)")
      T.truthy(err:match("interrupted"), what .. ": " .. err)
      T.eq(T.slurp(d .. "/out/co/a.csv.incomplete"), "x\n1\n", what .. ": the CSV kept aside")
      T.contains(T.slurp(d .. "/out/co/run.json") or "", '"status": ' .. (sig == "TERM" and 143 or 130))
    end
  end
end)

-- ---- make install ------------------------------------------------------------

local prefix = T.tmpdir()
T.test("make install PREFIX=... installs a working binary and the man page", function()
  local build = T.luagrad:match("^(.*)/luagrad$") or "."
  if build == "." or build == ROOT then build = "build" end
  build = build:gsub("^" .. ROOT:gsub("%p", "%%%0") .. "/", "")
  -- -o: install the binary under test as it is, without rebuilding it.
  local st, out, err = T.sh("make -s -o " .. Q(build .. "/luagrad") .. " install BUILD=" .. Q(build) ..
    " PREFIX=" .. Q(prefix))
  T.eq(st, 0, "make install: " .. out .. err)
  local d = folder{ ["h.lua"] = 'local P = params{ x = 1 }\nprint("installed " .. P.x)\n' }
  local code, o = T.sh("cd / && " .. Q(prefix .. "/bin/luagrad") .. " " .. Q(d .. "/h.lua") .. " x=5 --out " .. Q(d .. "/o"))
  T.eq(code, 0, "the installed binary runs from another folder")
  T.contains(o, "installed 5")
  local man = T.slurp(prefix .. "/share/man/man1/luagrad.1")
  T.truthy(man, "man page installed")
  T.contains(man, ".TH LUAGRAD 1")
end)

T.needs({ "man", "groff" }, "the man page renders without warnings and has every option of --help", function()
  local rc, text = T.sh("MANWIDTH=200 man -l -P cat " .. Q(prefix .. "/share/man/man1/luagrad.1"))
  T.eq(rc, 0, "man renders it")
  local rc2, _, warn = T.sh("groff -man -ww -z " .. Q(prefix .. "/share/man/man1/luagrad.1"))
  T.eq(rc2, 0, "groff status")
  T.eq(warn, "", "groff warnings")
  local _, help = T.run{ "--help" }
  for opt in help:gmatch("\n  (%-%-?[%w-]+)") do
    T.contains(text, opt)
  end
  T.contains(text, "EXIT STATUS", "run.json", "luagrad sweep", "luagrad collect", "--emit-jobs")
end)

-- ---- the build ---------------------------------------------------------------

T.test("a change of compiler flags rebuilds; the same flags do not", function()
  -- one small object of the real Makefile, built into a folder of its own
  local b = T.tmpdir() .. "/b"
  local obj = b .. "/src/core/err.o"
  local function make(args)
    local st, o, e = T.sh("make -C " .. Q(ROOT) .. " BUILD=" .. Q(b) .. " " .. args .. " " .. Q(obj))
    T.eq(st, 0, "make " .. args .. ": " .. o .. e)
    return o:find("CC    src/core/err.c", 1, true) ~= nil
  end
  T.truthy(make(""), "first build compiles")
  T.truthy(not make(""), "the same flags: nothing to do")
  T.truthy(make("NATIVE=1"), "NATIVE=1 rebuilds")
  T.truthy(not make("NATIVE=1"), "NATIVE=1 again: nothing to do")
  T.truthy(make("OPT=-O1"), "OPT=-O1 rebuilds")
  T.truthy(make("OPT=-O1 CPPFLAGS=-DLUAGRAD_X=1"), "CPPFLAGS rebuilds")
  T.truthy(make("OPT=-O1 CPPFLAGS=-DLUAGRAD_X=1 LDFLAGS=-g"), "LDFLAGS rebuilds")
  T.truthy(make("OPT=-O1 CPPFLAGS=-DLUAGRAD_X=1 LDFLAGS=-g CFLAGS=-O0"), "CFLAGS rebuilds")
  T.truthy(make("OPT=-O1 CPPFLAGS=-DLUAGRAD_X=1 LDFLAGS=-g CFLAGS=-O0 CC=gcc"), "CC rebuilds")
  T.truthy(not make("OPT=-O1 CPPFLAGS=-DLUAGRAD_X=1 LDFLAGS=-g CFLAGS=-O0 CC=gcc"), "then nothing to do")
  T.eq(T.slurp(b .. "/flags"):find("-DLUAGRAD_X=1", 1, true) ~= nil, true, "build/flags holds the flags")
end)

T.test("a script that replaces the global luagrad cannot break the run", function()
  -- the host keeps the run's own table where scripts cannot reach it
  local d = folder{ ["x.lua"] = 'luagrad = nil\nlocal w = csv.writer("a.csv", { "x" })\nw:row(1)\n',
                    ["y.lua"] = 'luagrad.out = {}\nluagrad.seed = "no"\nprint(rng.uniform() < 1)\n' }
  local st, _, err = run_in(d, "--out o x.lua")
  T.eq(st, 0, "exit status (" .. tostring(err) .. ")")
  T.eq(T.slurp(d .. "/o/a.csv"), "x\n1\n", "the writer left open is committed")
  T.contains(T.slurp(d .. "/o/run.json"), '"status": 0')
  local st2, out2 = run_in(d, "--out o2 y.lua")
  T.eq(st2, 0, "exit status")
  T.contains(out2, "true")
  T.contains(T.slurp(d .. "/o2/run.json"), '"seed": 42')
end)

T.test("os.exit with a status outside 0..255 is an error, not a wrapped status", function()
  local d = folder{ ["x.lua"] = 'os.exit(256)\n' }
  local st, _, err = run_in(d, "--out o x.lua")
  T.eq(st, 1, "a script error")
  T.contains(err, "the exit status must be from 0 to 255")
  T.contains(T.slurp(d .. "/o/run.json"), '"status": 1')
end)

T.done()
