-- tests/test_provenance.lua: run.json (what every run of a script writes at
-- its end), report{...}, and sys.sha256, through the real luagrad binary.
-- The SHA-256 values are checked against sha256sum (GNU coreutils).
local T = dofile("tests/check.lua")
local json = require("luagrad.json")
local sys = require("luagrad.sys")
local Q = T.quote

local function folder(files)
  local d = T.tmpdir()
  for name, text in pairs(files or {}) do T.write(d .. "/" .. name, text) end
  return d
end

local function sha256sum(path)
  local _, out = T.sh("sha256sum " .. Q(path))
  return out:match("^(%x+)")
end

local function now_utc()
  local _, out = T.sh("date -u +%s")
  return tonumber(out)
end

-- "2026-11-28T15:13:19Z" -> seconds since 1970 (via date(1), independent).
local function iso_seconds(s)
  local _, out = T.sh("date -u -d " .. Q(s) .. " +%s")
  return tonumber(out)
end

local function record(dir)
  local text = T.slurp(dir .. "/run.json")
  T.truthy(text, "run.json exists in " .. dir)
  return json.decode(text, dir .. "/run.json"), text
end

local SCRIPT = [[
local P = params{ lr = 0.01, epochs = 3, name = "run", fast = false }
local w <close> = csv.writer("log.csv", { "epoch", "loss" })
for e = 1, P.epochs do w:row(e, 1 / e) end
local sys = require("luagrad.sys")
local path = sys.outpath("sub/notes.txt")
local f = io.open(path, "w") f:write("n") f:close()
sys.record(path)
report{ loss = 0.25, steps = P.epochs }
report{ loss = 0.125, label = "done" }
]]

T.test("run.json records script, SHA-256, params, seed, version, time, status, figures, files", function()
  local d = folder{ ["exp.lua"] = SCRIPT }
  local before = now_utc()
  local st, _, err = T.run{ "--out", d .. "/o", "--seed", "7", d .. "/exp.lua", "lr=0.5", "name=a b" }
  local after = now_utc()
  T.eq(st, 0, "status " .. err)
  local r, text = record(d .. "/o")
  T.eq(r.script, d .. "/exp.lua", "script")
  T.eq(r.sha256, sha256sum(d .. "/exp.lua"), "sha256 (sha256sum)")
  T.eq(r.params.lr, 0.5, "params.lr")
  T.eq(math.type(r.params.lr), "float", "lr stays a float")
  T.eq(r.params.epochs, 3, "params.epochs")
  T.eq(math.type(r.params.epochs), "integer", "epochs stays an integer")
  T.eq(r.params.name, "a b", "params.name")
  T.eq(r.params.fast, false, "params.fast")
  T.eq(r.seed, 7, "seed")
  local _, version = T.run{ "--version" }
  T.eq("luagrad " .. r.luagrad_version .. " ", version:match("^luagrad %S+ "), "version")
  T.truthy(r.start:match("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%dZ$"), "start is ISO 8601 UTC: " .. r.start)
  local t = iso_seconds(r.start)
  T.truthy(t >= before and t <= after, string.format("start %d within [%d, %d]", t, before, after))
  T.truthy(type(r.seconds) == "number" and r.seconds >= 0 and r.seconds <= after - before + 1, "seconds")
  T.eq(r.status, 0, "status")
  T.eq(r.figures.loss, 0.125, "the later report replaces loss")
  T.eq(r.figures.steps, 3, "figures.steps")
  T.eq(r.figures.label, "done", "figures.label")
  T.eq(#r.files, 2, "files: " .. json.encode(r.files, 0))
  T.eq(r.files[1], "log.csv", "files[1]")
  T.eq(r.files[2], "sub/notes.txt", "files[2]")
  T.truthy(type(r.host) == "string" and r.host ~= "", "host")
  -- one key per line, sorted: readable and diff-able
  T.contains(text, '{\n  "figures": {\n    "label": "done",\n', '\n  "status": 0\n}\n')
  T.eq(T.slurp(d .. "/o/run.json.tmp"), nil, "no temporary file left")
end)

T.test("without --seed run.json says seed 42; --params writes none", function()
  local d = folder{ ["exp.lua"] = SCRIPT }
  T.run{ "--out", d .. "/o", d .. "/exp.lua" }
  T.eq(record(d .. "/o").seed, 42, "seed")
  local d2 = folder{ ["exp.lua"] = SCRIPT }
  local st = T.run{ "--params", "--out", d2 .. "/o", d2 .. "/exp.lua" }
  T.eq(st, 0, "status")
  T.eq(T.slurp(d2 .. "/o/run.json"), nil, "no run.json for --params")
end)

T.test("a failing run writes run.json with its status and what it reported", function()
  local d = folder{ ["fail.lua"] = 'local P = params{ k = 1 }\nreport{ partial = 1.5 }\nerror("late failure")\n' }
  local st = T.run{ "--out", d .. "/o", d .. "/fail.lua", "k=2" }
  T.eq(st, 1, "exit status")
  local r = record(d .. "/o")
  T.eq(r.status, 1, "status")
  T.eq(r.figures.partial, 1.5, "figures.partial")
  T.eq(r.params.k, 2, "params.k")
end)

T.test("a syntax error and os.exit(3) are runs too: status 1 and 3", function()
  local d = folder{ ["syn.lua"] = "x = = 1\n", ["ex.lua"] = 'report{ a = 1 }\nos.exit(3)\n' }
  T.eq(T.run{ "--out", d .. "/s", d .. "/syn.lua" }, 1, "syntax error status")
  local r = record(d .. "/s")
  T.eq(r.status, 1, "status")
  T.eq(next(r.params), nil, "no parameters")
  T.eq(r.sha256, sha256sum(d .. "/syn.lua"), "sha256")
  T.eq(T.run{ "--out", d .. "/e", d .. "/ex.lua" }, 3, "os.exit status")
  T.eq(record(d .. "/e").status, 3, "status 3")
  T.eq(record(d .. "/e").figures.a, 1, "figure")
end)

T.test("a refused key=value runs nothing and writes no run.json", function()
  local d = folder{ ["exp.lua"] = SCRIPT, ["none.lua"] = 'print(1)\n' }
  T.eq(T.run{ "--out", d .. "/o", d .. "/exp.lua", "lrr=1" }, 2, "status")
  T.eq(T.run{ "--out", d .. "/o", d .. "/exp.lua", "epochs=x" }, 2, "status")
  T.eq(T.slurp(d .. "/o/run.json"), nil, "no run.json")
  -- a script that never calls params{} runs to its end before its key=value
  -- is found unused: that run happened, and its run.json says how it ended
  T.eq(T.run{ "--out", d .. "/n", d .. "/none.lua", "a=1" }, 2, "status")
  T.eq(record(d .. "/n").status, 2, "run.json of the run that ignored a=1")
end)

T.needs({ "script" }, "the prompt writes no run.json", function()
  local d = folder()
  local st = T.sh("cd " .. Q(d) .. " && script -qec " .. Q(Q(T.luagrad:sub(1, 1) == "/" and T.luagrad
    or sys.cwd() .. "/" .. T.luagrad) .. " --out " .. Q(d .. "/o")) .. " /dev/null", "x = 1\nreport{ a = 1 }\n")
  T.eq(st, 0, "status")
  T.eq(T.slurp(d .. "/o/run.json"), nil, "no run.json")
end)

T.test("a script from stdin: run.json hashes the text read", function()
  local d = folder()
  local text = 'local P = params{ a = 1 }\nreport{ b = P.a + 1 }\n'
  T.write(d .. "/copy.lua", text)
  local st = T.sh("cd " .. Q(d) .. " && " .. Q(T.luagrad:sub(1, 1) == "/" and T.luagrad
    or sys.cwd() .. "/" .. T.luagrad) .. " - a=4", text)
  T.eq(st, 0, "status")
  local r = record(d .. "/out/stdin")
  T.eq(r.script, "-", "script")
  T.eq(r.sha256, sha256sum(d .. "/copy.lua"), "sha256 of the text")
  T.eq(r.figures.b, 5, "figure")
end)

T.test("run.json replaces the old one by renaming, never rewriting it in place", function()
  -- A hard link to the old run.json keeps the old text: the new file is a
  -- new inode renamed over the name, so a reader never sees half a file.
  local d = folder{ ["exp.lua"] = 'report{ v = 1 }\n', ["exp2.lua"] = 'report{ v = 2 }\n' }
  T.run{ "--out", d .. "/o", d .. "/exp.lua" }
  local first = T.slurp(d .. "/o/run.json")
  os.execute("ln " .. Q(d .. "/o/run.json") .. " " .. Q(d .. "/old.json"))
  T.run{ "--out", d .. "/o", d .. "/exp2.lua" }
  T.eq(T.slurp(d .. "/old.json"), first, "the old file is untouched")
  T.eq(record(d .. "/o").figures.v, 2, "the new run.json")
  local _, inodes = T.sh("stat -c %i " .. Q(d .. "/old.json") .. " " .. Q(d .. "/o/run.json"))
  local a, b = inodes:match("(%d+)%s+(%d+)")
  T.truthy(a ~= b, "a new inode")
end)

T.test("run.json that cannot be written fails the run, leaving no temporary file", function()
  local d = folder{ ["exp.lua"] = 'report{ v = 1 }\n' }
  os.execute("mkdir -p " .. Q(d .. "/o/run.json/x"))  -- a folder in the way
  local st, _, err = T.run{ "--out", d .. "/o", d .. "/exp.lua" }
  T.eq(st, 1, "exit status")
  T.contains(err, "luagrad: cannot write run.json: ")
  local _, ls = T.sh("ls " .. Q(d .. "/o"))
  T.eq(ls, "run.json\n", "temporary file removed")
  T.truthy(T.sh("test -d " .. Q(d .. "/o/run.json/x")) == 0, "the folder is untouched")
end)

-- The process id of the luagrad that runs a script (not of a shell it starts).
local OWN_PID = 'local pid = io.open("/proc/self/stat"):read("l"):match("^%d+")\n'

T.test("a killed re-run leaves no run.json of the earlier run", function()
  local d = folder{ ["exp.lua"] = OWN_PID .. [[
local w = csv.writer("a.csv", { "x" })
w:row(1)
if params{ kill = false }.kill then os.execute("kill -KILL " .. pid) end
]] }
  local st = T.run{ "--out", d .. "/o", d .. "/exp.lua" }
  T.eq(st, 0, "the first run")
  T.truthy(T.slurp(d .. "/o/run.json"), "its run.json")
  st = T.run{ "--out", d .. "/o", d .. "/exp.lua", "kill=true" }
  T.eq(st, 137, "the re-run was killed")
  T.eq(T.slurp(d .. "/o/run.json"), nil, "no run.json vouches for the mixed folder")
  -- and the next run cleans up the killed run's temporary file
  local _, before = T.sh("ls " .. Q(d .. "/o"))
  T.truthy(before:match("a%.csv%.%d+%.tmp"), "the killed run left " .. before)
  T.eq(T.run{ "--out", d .. "/o", d .. "/exp.lua" }, 0, "a third run")
  local _, after = T.sh("ls " .. Q(d .. "/o"))
  T.eq(after, "a.csv\nrun.json\n", "stale temporary files removed")
end)

T.test("temporary files do not follow planted symbolic links", function()
  -- The script plants links on the names its own temporary files would
  -- take (old and new names), pointing at a file outside the folder.
  local d = folder{ ["victim.txt"] = "precious\n", ["exp.lua"] = OWN_PID .. [[
for _, name in ipairs({ "run.json.tmp", "run.json." .. pid .. ".tmp", "a.csv." .. pid .. ".tmp" }) do
  os.execute("ln -s ../victim.txt " .. luagrad.out .. "/" .. name)
end
local w <close> = csv.writer("a.csv", { "x" })
w:row(1)
]] }
  local st, _, err = T.run{ "--out", d .. "/o", d .. "/exp.lua" }
  T.eq(st, 0, "status: " .. err)
  T.eq(T.slurp(d .. "/victim.txt"), "precious\n", "the link's target is untouched")
  T.eq(T.slurp(d .. "/o/a.csv"), "x\n1\n", "the CSV")
  T.contains(T.slurp(d .. "/o/run.json"), '"status": 0')
end)

T.test("run.json lists a file written through a symbolic link by the name the script used", function()
  local d = folder{ ["exp.lua"] = 'local w <close> = csv.writer("link.csv", { "x" })\nw:row(1)\n' }
  os.execute("mkdir -p " .. Q(d .. "/o") .. " && echo old > " .. Q(d .. "/target.csv")
    .. " && ln -s ../target.csv " .. Q(d .. "/o/link.csv"))
  T.eq(T.run{ "--out", d .. "/o", d .. "/exp.lua" }, 0, "status")
  T.eq(T.slurp(d .. "/target.csv"), "x\n1\n", "written through the link")
  T.eq(record(d .. "/o").files[1], "link.csv", "the name the script used")
end)

T.test("report{} checks its argument", function()
  local cases = {
    { "report(3)", "report: expected a table like report{ loss = 0.1 }, got number" },
    { "report{ 5 }", "report: figure names must be identifiers, got 1" },
    { 'report{ ["a b"] = 1 }', 'report: figure names must be identifiers, got "a b"' },
    { "report{ w = {} }", "report: 'w' must be a number, string or boolean, got table" },
  }
  for _, c in ipairs(cases) do
    local d = folder{ ["r.lua"] = "\n" .. c[1] .. "\n" }
    local st, _, err = T.run{ "--out", d .. "/o", d .. "/r.lua" }
    T.eq(st, 1, "status of " .. c[1])
    T.contains(err, "r.lua:2: " .. c[2])
  end
end)

T.test("report{} prints what it recorded, not with -q", function()
  local d = folder{ ["r.lua"] = 'report{ b = 0.1 + 0.2, a = "x", c = true }\n' }
  local _, out = T.run{ "--out", d .. "/o", d .. "/r.lua" }
  T.eq(out, 'report: a="x" b=0.30000000000000004 c=true\n', "stdout")
  local _, quiet = T.run{ "-q", "--out", d .. "/o", d .. "/r.lua" }
  T.eq(quiet, "", "stdout under -q")
  T.eq(record(d .. "/o").figures.b, 0.1 + 0.2, "the exact double")
end)

T.test("report{} keeps inf and nan as the strings inf, -inf, nan in run.json", function()
  local d = folder{ ["r.lua"] = 'report{ a = 1/0, b = -1/0, c = 0/0 }\n' }
  T.run{ "--out", d .. "/o", d .. "/r.lua" }
  local r, text = record(d .. "/o")
  T.eq(r.figures.a, "inf", "inf")
  T.eq(r.figures.b, "-inf", "-inf")
  T.eq(r.figures.c, "nan", "nan")
  T.contains(text, '"a": "inf"')
end)

T.test("sys.sha256 matches sha256sum, binary bytes included", function()
  local d = T.tmpdir()
  for i, s in ipairs{ "", "abc", "a\0b\255\n", string.rep("0123456789", 1000) } do
    local path = d .. "/f" .. i
    T.write(path, s)
    T.eq(sys.sha256(s), sha256sum(path), "sha256 of text " .. i)
  end
  T.raises(function() sys.sha256() end, "bad argument #1 to 'sha256'")
end)

T.test("sys.find lists files by name, sorted; a bad folder is nil and why", function()
  local d = folder()
  os.execute("mkdir -p " .. Q(d .. "/b/c") .. " " .. Q(d .. "/a"))
  for _, p in ipairs{ "/run.json", "/b/run.json", "/b/c/run.json", "/a/run.json", "/a/other.json" } do
    T.write(d .. p, "{}")
  end
  os.execute("ln -s " .. Q(d .. "/b") .. " " .. Q(d .. "/link"))
  local got = sys.find(d, "run.json")
  T.eq(table.concat(got, " "), table.concat({ d .. "/a/run.json", d .. "/b/c/run.json",
    d .. "/b/run.json", d .. "/run.json" }, " "), "paths (the symbolic link is not followed)")
  local none, why = sys.find(d .. "/nope", "run.json")
  T.eq(none, nil, "missing folder")
  T.eq(why, "cannot read folder '" .. d .. "/nope': No such file or directory", "why")
  local _, why2 = sys.find(d .. "/run.json", "x")
  T.eq(why2, "cannot read folder '" .. d .. "/run.json': Not a directory", "why")
end)

T.test("sys.cwd and sys.hostname", function()
  local _, pwd = T.sh("pwd -P")
  local _, host = T.sh("hostname")
  T.eq(sys.cwd(), (pwd:gsub("\n$", "")), "cwd")
  T.eq(sys.hostname(), (host:gsub("\n$", "")), "hostname")
end)

T.done()
