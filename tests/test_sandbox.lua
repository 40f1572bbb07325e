-- tests/test_sandbox.lua: --sandbox and --data, through the real binary.
-- Each script of tests/sandbox/ tries one way out of the sandbox; it must
-- fail with exit status 1 and a message naming what was refused and why,
-- and nothing outside the run's output folder may change.
local T = dofile("tests/check.lua")
local Q = T.quote

local READ = "is outside the folders a sandboxed script may read (its own folder, its output "
  .. "folder and --data folders)"
local WRITE = "is outside the folder a sandboxed script may write (its output folder)"
local STARTS = "not allowed in a sandboxed run (a sandboxed script starts no programs)"
local BINARY = "binary chunks are refused in a sandboxed run (only Lua source text)"
local DEBUG = "the debug library is not available in a sandboxed run"

-- script -> the texts its error message must have
local ESCAPES = {
  read_absolute = { "io.open: '/etc/passwd' " .. READ },
  read_dotdot = { "io.open: 's/../secret.txt' " .. READ },
  read_symlink = { "io.lines: 's/link/secret.txt' " .. READ },
  dofile_outside = { "dofile: 's/../evil.lua' " .. READ },
  loadfile_outside = { "loadfile: 's/../evil.lua' " .. READ },
  require_outside = { "require: module 'evil' not found", "s/../evil.lua' (" },
  require_c = { "require: module 'lpeg' not found" },
  loadlib = { "package.loadlib: not allowed in a sandboxed run (a sandboxed script loads no C code)" },
  csv_read_outside = { "csv.read: 's/../secret.txt' " .. READ },
  csv_matrix_outside = { "csv.matrix: '/etc/passwd' " .. READ },
  csv_writer_outside = { "csv.writer: 'out/../planted.csv' " .. WRITE },
  write_dotdot = { "io.open: 'out/../planted.txt' " .. WRITE },
  write_symlink = { "csv.writer: 'out/outlink/planted.csv' " .. WRITE },
  write_dangling = { "io.open: 'out/dangling' " .. WRITE },
  write_own_folder = { "io.open: 's/planted.txt' " .. WRITE },
  os_execute = { "os.execute: " .. STARTS },
  io_popen = { "io.popen: " .. STARTS },
  sys_run = { "luagrad.sys.run: " .. STARTS },
  sys_write_atomic = { "luagrad.sys.write_atomic: not allowed in a sandboxed run" },
  os_remove = { "os.remove: 's/../secret.txt' " .. WRITE },
  os_rename = { "os.rename: 's/../secret.txt' " .. WRITE },
  getenv = { "os.getenv: 'HOME' is not readable in a sandboxed run (only COLUMNS, LANG, LC_ALL, "
    .. "LC_NUMERIC, LUAGRAD_THREADS, TERM, TZ)" },
  bytecode_load = { "load: " .. BINARY },
  bytecode_loadfile = { "loadfile: 's/chunk.luac' is a binary chunk; " .. BINARY },
  bytecode_mode = { "load: mode 'b' asked for; " .. BINARY },
  debug_setmetatable = { "debug.setmetatable: " .. DEBUG },
  debug_require = { "debug.getregistry: " .. DEBUG },
  metatable_string = { "attempt to index a boolean value" },
  plot_beside_data = { "'out/../data/d.gp' " .. WRITE },
}

-- A run's world: d/s/ holds the script (and a link to d), d/secret.txt and
-- d/evil.lua lie outside, d/data/ is given with --data, d/out/ is the
-- output folder, with a link to a folder outside and one to nowhere.
local function world(script)
  local d = T.tmpdir()
  T.sh("mkdir -p " .. Q(d .. "/s") .. " " .. Q(d .. "/data") .. " " .. Q(d .. "/out")
    .. " " .. Q(d .. "/elsewhere"))
  T.write(d .. "/s/x.lua", T.slurp("tests/sandbox/" .. script .. ".lua"))
  T.write(d .. "/s/mine.txt", "mine\n")
  T.write(d .. "/s/helper.lua", "return { answer = 42 }\n")
  T.write(d .. "/s/chunk.luac", string.dump(function() return 1 end))
  T.write(d .. "/secret.txt", "secret\n")
  T.write(d .. "/evil.lua", "os.exit(7)\n")
  T.write(d .. "/data/d.csv", "x,y\n1,2\n2,4\n3,6\n")
  T.sh("ln -s " .. Q(d) .. " " .. Q(d .. "/s/link") .. " && ln -s " .. Q(d .. "/elsewhere")
    .. " " .. Q(d .. "/out/outlink") .. " && ln -s " .. Q(d .. "/nowhere") .. " "
    .. Q(d .. "/out/dangling"))
  return d
end

-- TERM is given because the allowed script reads it: under cron or env -i
-- it is unset, and os.getenv("TERM") would be nil for want of a value.
local function run(d, extra)
  return T.sh("cd " .. Q(d) .. " && TERM=dumb " .. Q(T.exe) .. " --sandbox --plot none --data data --out out "
    .. (extra or "") .. " s/x.lua")
end

-- Nothing planted anywhere, the secret still there.
local function untouched(d)
  local _, found = T.sh("cd " .. Q(d) .. " && find . -name 'planted*' -o -name 'stolen*'")
  T.eq(found, "", "files planted by the script")
  T.eq(T.slurp(d .. "/secret.txt"), "secret\n", "secret.txt")
  T.eq(T.exists(d .. "/elsewhere/planted.csv"), false, "written through the link")
  T.eq(T.exists(d .. "/nowhere"), false, "written through the dangling link")
end

local names = {}
for name in pairs(ESCAPES) do names[#names + 1] = name end
table.sort(names)
for _, name in ipairs(names) do
  T.test("sandbox refuses " .. name, function()
    local d = world(name)
    local status, _, err = run(d)
    T.eq(status, 1, "exit status; stderr: " .. err)
    T.contains(err, table.unpack(ESCAPES[name]))
    untouched(d)
  end)
end

T.test("sandbox: what a script may do still works, and run.json says sandbox", function()
  local d = world("allowed")
  local status, out, err = run(d)
  T.eq(status, 0, "exit status; stderr: " .. err)
  T.eq(out, "mine\n3\n42\ntrue\tstring\n2\t3\tABC\ndone\n", "output")
  T.eq(T.slurp(d .. "/out/notes2.txt"), "ok", "written in the output folder")
  local rec = T.slurp(d .. "/out/run.json")
  T.contains(rec, '"sandbox": true', '"sandbox_data": [\n    "data"\n  ]')
end)

T.needs({ "gnuplot" }, "sandbox: luagrad's plot still runs gnuplot", function()
  local d = world("allowed")
  local status, _, err = T.run_in(d, "--sandbox --data data --out out s/x.lua")
  T.eq(status, 0, "exit status; stderr: " .. err)
  T.truthy(T.exists(d .. "/out/l.png"), "l.png drawn")
end)

T.needs({ "gnuplot" }, "plot: a script that changes string functions or puts `cmd` in a title "
  .. "starts no program through gnuplot", function()
  for _, sandbox in ipairs({ "--sandbox", "" }) do
    local d = world("plot_inject")
    local status, out, err = T.run_in(d, sandbox .. " --out out s/x.lua")
    if sandbox ~= "" then
      T.eq(status, 0, "exit status; stderr: " .. err)
      T.eq(out, "plotted\n", "output")
    end
    untouched(d)
  end
end)

-- The modules load on first use (src/host/lazy.h): in a sandbox the script
-- gets copies of them too, the same through the global and require, and
-- what loads late is narrowed like the rest (its metatables locked).
T.test("sandbox: modules loaded on first use are copies, and narrowed", function()
  local d = world("allowed")
  T.write(d .. "/s/x.lua", [[
print(require("tensor") == tensor, require("plot") == plot, type(params), type(nn.Linear))
print(getmetatable(tensor{ 1 }), getmetatable(model.linear{}))
tensor.zeros = nil
print(type(require("tensor").zeros), type(data))
print(pcall(require, "luagrad.plot"))
]])
  local status, out, err = run(d)
  T.eq(status, 0, "exit status; stderr: " .. err)
  local lines = T.lines(out)
  T.eq(lines[1], "true\ttrue\tfunction\ttable", "same copies")
  T.eq(lines[2], "false\tfalse", "metatables locked")
  T.eq(lines[3], "nil\ttable", "a change stays in the script's copy")
  T.contains(lines[4], "false", "module 'luagrad.plot' not found")
end)

-- require "luagrad" (a script written for the module in a stock lua5.4)
-- works in a sandbox too: the table holds the script's copies, and its
-- outdir cannot move the output folder, the one folder the script may write.
T.test("sandbox: require \"luagrad\" gives the script's copies; outdir cannot be moved", function()
  local d = world("allowed")
  T.write(d .. "/s/x.lua", [[
local lg = require "luagrad"
print(lg == require("luagrad"), lg.tensor == tensor, lg.plot == plot, lg.outdir())
local m = lg.model.linear{ w = 1 }
print(lg.loss.mse(m, lg.tensor{ 1, 2, 3 }, lg.tensor{ 2, 4, 6 }))
print(pcall(lg.outdir, "elsewhere"))
lg.tensor.zeros = nil
tensor = nil
print(lg.globals() == lg, tensor == lg.tensor, type(require("tensor").zeros), getmetatable(lg.tensor{ 1 }))
]])
  local status, out, err = run(d)
  T.eq(status, 0, "exit status; stderr: " .. err)
  local lines = T.lines(out)
  T.eq(lines[1], "true\ttrue\ttrue\tout", "one table, the script's copies")
  T.eq(lines[2], tostring(14 / 3), "mse of w = 1 on y = 2x: (1 + 4 + 9) / 3")
  T.eq(lines[3], "false\tluagrad.outdir: a sandboxed run cannot set its output folder (it is the one "
    .. "folder the script may write); call it without dir", "outdir(dir) refused")
  T.eq(lines[4], "true\ttrue\tnil\tfalse", "globals() restores the script's tensor; still narrowed")
end)

T.test("sandbox: pairs over the globals lists every one; a strict metatable keeps them", function()
  local d = world("allowed")
  T.write(d .. "/s/x.lua", [[
local names = {}
for k in pairs(_G) do names[k] = true end
print(names.tensor, names.plot, names.nn)
setmetatable(_G, { __index = function(_, k) error("undeclared " .. k, 2) end })
print(type(data), type(optim), getmetatable(tensor{ 1 }))
]])
  local status, out, err = run(d)
  T.eq(status, 0, "exit status; stderr: " .. err)
  local lines = T.lines(out)
  T.eq(lines[1], "true\ttrue\ttrue", "pairs sees them")
  T.eq(lines[2], "table\ttable\tfalse", "loaded before the strict metatable, still narrowed")
end)

T.test("without --sandbox a script has the whole standard library", function()
  local d = T.folder{ ["x.lua"] = [[
print(type(debug.getinfo), type(io.popen), type(package.loadlib), os.getenv("HOME") ~= nil)
print(load(string.dump(function() return 5 end))())
]] }
  local status, out, err = T.run_in(d, "x.lua")
  T.eq(status, 0, "exit status; stderr: " .. err)
  T.eq(out, "function\tfunction\tfunction\ttrue\n5\n", "output")
end)

T.test("--data and --sandbox on the command line", function()
  local d = T.folder{ ["x.lua"] = "print(1)\n" }
  local status, _, err = T.run_in(d, "--data . x.lua")
  T.eq(status, 2, "--data without --sandbox")
  T.contains(err, "luagrad: --data is for --sandbox runs (without it a script reads any file)")
  status, _, err = T.run_in(d, "--sandbox --data nothere x.lua")
  T.eq(status, 2, "missing --data folder")
  T.contains(err, "luagrad: --data 'nothere': No such file or directory")
  status, _, err = T.run_in(d, "--sandbox --data x.lua x.lua")
  T.eq(status, 2, "--data names a file")
  T.contains(err, "luagrad: --data 'x.lua': not a folder")
  status, _, err = T.run_in(d, "collect --sandbox .")
  T.eq(status, 2, "collect --sandbox")
  T.contains(err, "--sandbox is an option of a script's run, 'luagrad run' and 'luagrad sweep'")
end)

T.test("run and sweep pass --sandbox and --data on to every run", function()
  local d = world("getenv")
  local status, _, err = T.run_in(d, "run -q --sandbox --data data --out runs s/x.lua")
  T.eq(status, 1, "run: the script fails; stderr: " .. err)
  T.contains(T.slurp(d .. "/runs/x/stderr.txt") or err, "os.getenv: 'HOME' is not readable")
  T.contains(T.slurp(d .. "/runs/x/run.json"), '"sandbox": true', '"data"')
  T.write(d .. "/s/y.lua", "local P = params{ k = 1 }\nprint(os.getenv('HOME'))\n")
  status, _, err = T.run_in(d, "sweep -q --sandbox --out sw s/y.lua k=1,2")
  T.eq(status, 1, "sweep: both runs fail; stderr: " .. err)
  T.contains(T.slurp(d .. "/sw/y/k=1/run.json"), '"sandbox": true')
  T.contains(T.slurp(d .. "/sw/y/k=2/stderr.txt") or "", "os.getenv: 'HOME' is not readable")
end)

T.done()
