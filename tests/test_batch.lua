-- tests/test_batch.lua: `luagrad run` (batch runs) and the process pool
-- under it, sys.pool, through the real luagrad binary.
local T = dofile("tests/check.lua")
local folder, run_in, lines = T.folder, T.run_in, T.lines
local json = require("luagrad.json")
local sys = require("luagrad.sys")
local Q = T.quote

local EXE = T.exe




-- The lines of a batch's stderr, without the note about gnuplot (present
-- or not, depending on the machine).
local function progress_lines(err)
  local t = {}
  for _, l in ipairs(lines(err)) do
    if not l:find("gnuplot not found", 1, true) then t[#t + 1] = l end
  end
  return t
end

local function record(path)
  local text = T.slurp(path)
  return text and json.decode(text, path)
end

-- ---- sys.pool ------------------------------------------------------------------

local function sh_job(name, cmd) return { name = name, argv = { "/bin/sh", "-c", cmd } } end

T.test("sys.pool: exit codes, signals, seconds, and programs that cannot start", function()
  local r, stopped = sys.pool({
    sh_job("ok", "exit 0"),
    sh_job("three", "exit 3"),
    sh_job("killed", "kill -9 $$"),
    { name = "missing", argv = { "/nonexistent/program" } },
  }, 2)
  T.eq(stopped, false, "not stopped")
  T.eq(r[1].status, 0, "ok")
  T.eq(r[1].started, true, "started")
  T.truthy(r[1].seconds >= 0 and r[1].seconds < 5, "seconds")
  T.eq(r[2].status, 3, "exit 3")
  T.eq(r[3].status, nil, "killed: no exit code")
  T.eq(r[3].signal, 9, "signal 9")
  -- Under valgrind (make valgrind) posix_spawn cannot tell its parent that
  -- exec failed (the child exits 127 instead): not a memory matter.
  if not os.getenv("LUAGRAD_VALGRIND") then
    T.eq(r[4].started, false, "missing program not started")
    T.eq(r[4].error, "cannot run /nonexistent/program: No such file or directory", "error")
  end
end)

T.test("sys.pool: each output line comes whole, prefixed, on its own stream", function()
  local d = folder{ ["p.lua"] = [[
local sys = require("luagrad.sys")
local function job(name, ch)
  -- 300 lines of 2000 characters each, on stdout and stderr, the last
  -- line of stdout without a newline
  local cmd = string.format("i=0; while [ $i -lt 300 ]; do printf '%%s\\n' " ..
    "$(printf '%%02000d' 0 | tr 0 %s); printf 'E%s\\n' >&2; i=$((i+1)); done; printf 'last-%s'", ch, ch, ch)
  return { name = name, argv = { "/bin/sh", "-c", cmd } }
end
local r = sys.pool({ job("a", "a"), job("b", "b"), job("c", "c") }, 3)
io.write("statuses ", r[1].status, r[2].status, r[3].status, "\n")
]] }
  local st, out, err = run_in(d, "p.lua")
  T.eq(st, 0, "status " .. err)
  local counts = {}
  for _, l in ipairs(lines(out)) do
    local name, body = l:match("^%[(%a)%] (.*)$")
    if l:match("^statuses") then
      T.eq(l, "statuses 000", "statuses")
    else
      T.truthy(name, "a prefixed stdout line: " .. l:sub(1, 40))
      if body:match("^last%-") then
        T.eq(body, "last-" .. name, "the last line without newline")
      else
        T.eq(body, string.rep(name, 2000), "a whole line of " .. name)
      end
      counts[name] = (counts[name] or 0) + 1
    end
  end
  for _, n in ipairs{ "a", "b", "c" } do T.eq(counts[n], 301, "lines of " .. n) end
  local ecount = 0
  for _, l in ipairs(lines(err)) do
    T.truthy(l:match("^%[(%a)%] E%1$"), "a prefixed stderr line: " .. l)
    ecount = ecount + 1
  end
  T.eq(ecount, 900, "stderr lines")
end)

T.test("sys.pool: at most max_parallel children at once", function()
  local function timed(max)
    local jobs = {}
    for i = 1, 4 do jobs[i] = sh_job("s" .. i, "sleep 0.4") end
    local t0 = sys.clock()
    sys.pool(jobs, max)
    return sys.clock() - t0
  end
  local two, four = timed(2), timed(4)
  T.truthy(two >= 0.8, string.format("4 jobs of 0.4 s, 2 at once: %.2f s >= 0.8", two))
  T.truthy(four < 0.8, string.format("4 jobs of 0.4 s, 4 at once: %.2f s < 0.8", four))
end)

T.test("sys.pool: children get stdin from /dev/null and a process group each", function()
  local d = T.tmpdir()
  local r = sys.pool({
    sh_job("in", "cat > " .. Q(d .. "/stdin.txt")),
    sh_job("pg", "ps -o pgid= -p $$ > " .. Q(d .. "/pgid.txt") .. "; echo $$ > " .. Q(d .. "/pid.txt")),
  }, 2)
  T.eq(r[1].status, 0, "cat ended at once")
  T.eq(T.slurp(d .. "/stdin.txt"), "", "empty stdin")
  T.eq(tonumber(T.slurp(d .. "/pgid.txt")), tonumber(T.slurp(d .. "/pid.txt")), "its own group")
end)

T.test("sys.pool: a job is done when it ends, even if a child of it keeps its output open", function()
  local d = folder{ ["g.lua"] = [[
local sys = require("luagrad.sys")
local t0 = sys.clock()
local r = sys.pool({ { name = "g", argv = { "/bin/sh", "-c", "sleep 3 & echo hi" } } }, 1)
io.write("status ", r[1].status, " took ", sys.clock() - t0 < 2 and "under 2 s" or "too long", "\n")
]] }
  local st, out = run_in(d, "g.lua")
  T.eq(st, 0, "status")
  T.eq(out, "[g] hi\nstatus 0 took under 2 s\n", "stdout")
end)

T.test("sys.pool checks its arguments before starting anything", function()
  T.raises(function() sys.pool("x", 1) end, "bad argument #1 to 'pool' (table expected, got string)")
  T.raises(function() sys.pool({ 3 }, 1) end, "sys.pool: job 1 is a number, expected {name = ..., argv = {...}}")
  T.raises(function() sys.pool({ { argv = { "x" } } }, 1) end, "sys.pool: job 1: name is a nil, expected a string")
  T.raises(function() sys.pool({ { name = "a" } }, 1) end, "sys.pool: job 1: argv is a nil, expected a table of strings")
  T.raises(function() sys.pool({ { name = "a", argv = {} } }, 1) end, "sys.pool: job 1: argv is empty")
  T.raises(function() sys.pool({ { name = "a", argv = { "x", 2 } } }, 1) end,
    "sys.pool: job 1: argv[2] is a number, expected a string")
  T.raises(function() sys.pool({}, 0) end, "bad argument #2 to 'pool' (expected 1 to 4096 jobs at once)")
  local r, stopped = sys.pool({}, 3)
  T.eq(#r, 0, "no jobs, no results")
  T.eq(stopped, false, "not stopped")
end)

-- ---- luagrad run ----------------------------------------------------------------

local GOOD = 'local P = params{ n = 2 }\nfor i = 1, P.n do print("%s line " .. i) end\n' ..
             'local w <close> = csv.writer("%s.csv", { "i" })\nw:row(1)\nreport{ n = P.n }\n'

T.test("run: a failing script in the middle; the others complete; summary; exit 1", function()
  local d = folder{
    ["first.lua"] = GOOD:format("first", "first"),
    ["middle.lua"] = 'print("middle starts")\nerror("middle breaks")\n',
    ["last.lua"] = GOOD:format("last", "last"),
  }
  local st, out, err = run_in(d, "run -j 1 first.lua middle.lua last.lua")
  T.eq(st, 1, "exit status")
  -- each script's output is in its folder, not on the terminal
  T.eq(T.slurp(d .. "/out/first/stdout.txt"), "params: n=2\nfirst line 1\nfirst line 2\nreport: n=2\n", "first's log")
  T.contains(T.slurp(d .. "/out/middle/stdout.txt"), "middle starts")
  T.contains(T.slurp(d .. "/out/middle/stderr.txt"), "luagrad: middle.lua:2: middle breaks",
    "stack traceback:")
  T.truthy(not out:find("first line", 1, true) and not err:find("first line", 1, true),
    "no script output on the terminal")
  -- one line per finished run, and the error of the failed one
  local progress = progress_lines(err)
  T.eq(#progress, 5, "note, 3 runs, 1 error line:\n" .. err)
  T.truthy(progress[2]:match("^%[1/3%] first +ok +%d+%.%d%ds  out/first/stdout%.txt$"), progress[2])
  T.truthy(progress[3]:match("^%[2/3%] middle +failed %(exit 1%) +%d+%.%d%ds  out/middle/stdout%.txt$"),
    progress[3])
  T.eq(progress[4], "      luagrad: middle.lua:2: middle breaks", "the error, once")
  T.truthy(progress[5]:match("^%[3/3%] last +ok "), progress[5])
  -- the summary, in the order given
  local summary = out:match("\nscript +status +seconds +output +files written\n[- ]+\n(.*)$")
  T.truthy(summary, "a summary table in:\n" .. out)
  local rows = lines(summary)
  T.truthy(rows[1]:match("^first%.lua +ok +%d+%.%d%d +out/first/ +first%.csv$"), "row 1: " .. rows[1])
  T.truthy(rows[2]:match("^middle%.lua +failed %(exit 1%) +%d+%.%d%d +out/middle/ *$"), "row 2: " .. rows[2])
  T.truthy(rows[3]:match("^last%.lua +ok +%d+%.%d%d +out/last/ +last%.csv$"), "row 3: " .. rows[3])
  T.eq(rows[4], "1 of 3 failed", "the count")
  T.eq(T.slurp(d .. "/out/first/first.csv"), "i\n1\n", "first's output")
  T.eq(T.slurp(d .. "/out/last/last.csv"), "i\n1\n", "last's output")
  T.eq(record(d .. "/out/middle/run.json").status, 1, "middle's run.json says 1")
  T.eq(record(d .. "/out/first/run.json").figures.n, 2, "first's run.json")
end)

T.test("run: all fine exits 0; --out, --seed, --plot and -q reach the children", function()
  local d = folder{
    ["a.lua"] = 'print("seed", luagrad.seed, luagrad.plot_mode)\n',
    ["b.lua"] = 'io.stderr:write("b to stderr\\n")\n',
  }
  local st, _, err = run_in(d, "run --out res --seed 5 --plot none a.lua b.lua")
  T.eq(st, 0, "status")
  T.eq(T.slurp(d .. "/res/a/stdout.txt"), "seed\t5\tnone\n", "a's stdout.txt")
  T.eq(T.slurp(d .. "/res/b/stderr.txt"), "b to stderr\n", "b's stderr.txt")
  T.contains(err, "luagrad run: 2 scripts, up to 2 at once, output under res/")
  T.eq(record(d .. "/res/a/run.json").seed, 5, "seed in run.json")
  local st2, out2, err2 = run_in(d, "run -q --out res a.lua b.lua")
  T.eq(st2, 0, "status")
  T.eq(T.slurp(d .. "/res/a/stdout.txt"), "", "-q silences the scripts")
  T.contains(out2, "script", "status")
  T.eq(err2, "", "-q: no notes, no progress lines")
  T.eq(T.slurp(d .. "/res/b/stderr.txt"), "b to stderr\n", "errors still reach stderr.txt")
  -- one script alone prints everything, prefixed with its name
  os.remove(d .. "/res/a/stdout.txt")
  local st3, out3, err3 = run_in(d, "run --out res a.lua")
  T.eq(st3, 0, "status")
  T.contains(out3, "[a] seed\t42\tpng")
  T.eq(T.slurp(d .. "/res/a/stdout.txt"), nil, "no log for a single script")
  T.truthy(not err3:find("[1/1]", 1, true), "no progress line for a single script")
end)

T.test("run -j 2: two scripts at once, every line prefixed with its script", function()
  local script = [[
local m = io.open("%s.started", "w") m:close()
-- wait until the other one has started too: they run at the same time
local t0 = os.time()
while not io.open("%s.started") and os.time() - t0 < 10 do end
for i = 1, 50 do print("%s " .. i) io.stderr:write("%s err " .. i .. "\n") end
]]
  local d = folder{ ["x.lua"] = script:format("x", "y", "x", "x"), ["y.lua"] = script:format("y", "x", "y", "y") }
  local t0 = sys.clock()
  local st, out, err = run_in(d, "run -j 2 x.lua y.lua")
  T.truthy(sys.clock() - t0 < 9, "they ran at the same time")
  T.eq(st, 0, "status")
  T.truthy(out:match("^\nscript"), "only the summary on stdout:\n" .. out)
  T.eq(#progress_lines(err), 3, "the note and one line per run:\n" .. err)
  for _, name in ipairs{ "x", "y" } do
    local want, ewant = {}, {}
    for i = 1, 50 do
      want[i] = name .. " " .. i
      ewant[i] = name .. " err " .. i
    end
    T.eq(T.slurp(d .. "/out/" .. name .. "/stdout.txt"), table.concat(want, "\n") .. "\n", name .. "'s stdout.txt")
    T.eq(T.slurp(d .. "/out/" .. name .. "/stderr.txt"), table.concat(ewant, "\n") .. "\n", name .. "'s stderr.txt")
  end
end)

T.test("run: bad command lines exit 2 before anything runs", function()
  local d = folder{ ["a.lua"] = 'io.open("ran", "w"):close()\n' }
  os.execute("mkdir -p " .. Q(d .. "/sub") .. " && echo 'print(1)' > " .. Q(d .. "/sub/a.lua"))
  local cases = {
    { "run a.lua sub/a.lua", "luagrad: run: 'a.lua' and 'sub/a.lua' would both write to out/a/; "
      .. "rename one or run them in separate batches" },
    { "run a.lua a.lua", "would both write to out/a/" },
    { "run a.lua nope.lua", "luagrad: run: cannot open 'nope.lua': No such file or directory" },
    { "run a.lua sub", "luagrad: run: cannot open 'sub': Is a directory" },
    { "run a.lua lr=0.1", "luagrad: run: 'lr=0.1' looks like a parameter; run takes scripts only" },
    { "run a.lua -", "luagrad: run: cannot run a script from stdin ('-') in a batch" },
    { "run", "luagrad: run needs at least one script" },
    { "run -j 0 a.lua", "-j: '0' is not a number of jobs from 1 to 1024" },
    { "run --force a.lua", "--force is an option of 'luagrad sweep'" },
  }
  for _, c in ipairs(cases) do
    local st, out, err = run_in(d, c[1])
    T.eq(st, 2, "status of " .. c[1])
    T.contains(err, c[2], "usage: luagrad")
    T.eq(out, "", "stdout of " .. c[1])
  end
  T.eq(T.slurp(d .. "/ran"), nil, "nothing ran")
end)

T.test("run: Ctrl-C reaches the running scripts once, starts no new one, prints the summary", function()
  local loop = 'io.open("%s.marker", "w"):close()\nlocal n = 0\nwhile true do n = n + 1 end\n'
  local d = folder{ ["a.lua"] = loop:format("a"), ["b.lua"] = loop:format("b"),
                    ["c.lua"] = 'io.open("c.ran", "w"):close()\n' }
  local cmd = table.concat({
    "cd " .. Q(d),
    Q(EXE) .. " run -j 2 a.lua b.lua c.lua >stdout.txt 2>stderr.txt &",
    "pid=$!",
    "i=0; while { [ ! -f a.marker ] || [ ! -f b.marker ]; } && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done",
    "sleep 0.2; kill -INT $pid",
    "wait $pid; echo $?",
  }, "\n")
  local _, status = T.sh("timeout 60 sh -c " .. Q(cmd))
  T.eq(tonumber(status), 130, "exit status")
  local out, err = T.slurp(d .. "/stdout.txt"), T.slurp(d .. "/stderr.txt")
  T.truthy(out:match("\na%.lua +interrupted +%d"), "a interrupted in the summary:\n" .. out)
  T.truthy(out:match("\nb%.lua +interrupted +%d"), "b interrupted")
  T.truthy(out:match("\nc%.lua +not run +%- "), "c not run")
  T.truthy(err:match("%[%d/3%] a +interrupted +%d"), "a's line:\n" .. err)
  T.truthy(err:match("%[%d/3%] b +interrupted +%d"), "b's line:\n" .. err)
  T.eq(#progress_lines(err), 3, "one line per interrupted run, no traceback:\n" .. err)
  T.eq(T.slurp(d .. "/c.ran"), nil, "c did not start")
  T.eq(record(d .. "/out/a/run.json").status, 130, "a's run.json says 130")
end)

T.test("run: the note that gnuplot is missing comes once per command, not once per run", function()
  local plotting = 'local w <close> = csv.writer("%s.csv", { "x", "y" })\nw:row(1, 2)\nw:close()\n'
    .. 'plot.line{ csv = "%s.csv", x = "x", y = "y" }\n'
  local d = folder{ ["a.lua"] = plotting:format("a", "a"), ["b.lua"] = plotting:format("b", "b") }
  local st, _, err = T.sh("cd " .. Q(d) .. " && PATH=/nonexistent " .. Q(EXE) .. " run a.lua b.lua")
  T.eq(st, 0, "status " .. err)
  local _, count = err:gsub("gnuplot not found", "")
  T.eq(count, 1, "the note, once:\n" .. err)
  T.contains(T.slurp(d .. "/out/a/stderr.txt"), "gnuplot not found")
end)

T.test("run and sweep: an output folder that cannot be made stops them before any run", function()
  local d = folder{ ["a.lua"] = 'local P = params{ n = 1 }\nio.open("ran-" .. P.n, "w"):close()\n',
                    ["b.lua"] = 'io.open("ran-b", "w"):close()\n', ["blocker"] = "a file" }
  local st, _, err = run_in(d, "run --out blocker a.lua b.lua")
  T.eq(st, 1, "run: status")
  T.contains(err, "luagrad: run: cannot create folder 'blocker/a': Not a directory (choose another with --out DIR)")
  T.truthy(not err:find("lua/luagrad/", 1, true), "no luagrad file named")
  st, _, err = run_in(d, "sweep --out blocker a.lua n=1,2")
  T.eq(st, 1, "sweep: status")
  T.contains(err, "luagrad: sweep: cannot create folder 'blocker/a': Not a directory")
  T.eq(T.slurp(d .. "/ran-1"), nil, "no run of a")
  T.eq(T.slurp(d .. "/ran-b"), nil, "no run of b")
  -- and the check can pass: with a folder that can be made, they run
  T.eq(run_in(d, "run -q --out fine a.lua b.lua"), 0, "run elsewhere")
  T.eq(T.slurp(d .. "/ran-b"), "", "b ran")
end)

local MANY = 'for i = 1, 8 do local w <close> = csv.writer("a_rather_long_file_name_" .. i .. ".csv", { "x" }) end\n'

T.test("run: the summary is never cut in a file", function()
  local d = folder{ ["many.lua"] = MANY, ["two.lua"] = 'print(2)\n' }
  local st, out = run_in(d, "run -q many.lua two.lua")
  T.eq(st, 0, "status")
  T.contains(out, "a_rather_long_file_name_1.csv a_rather_long_file_name_2.csv", "a_rather_long_file_name_8.csv\n")
end)

T.needs({ "script" }, "run: the summary fits the terminal's width", function()
  local d = folder{ ["many.lua"] = MANY, ["two.lua"] = 'print(2)\n' }
  -- on a terminal of 60 columns (script(1) gives it a pseudo-terminal)
  local cmd = "cd " .. Q(d) .. " && COLUMNS=60 script -qec " .. Q(Q(EXE) .. " run -q many.lua two.lua") .. " /dev/null"
  local st2, tty = T.sh(cmd)
  T.eq(st2, 0, "status on a terminal")
  local rows = 0
  -- the "k/N done" line is redrawn after \r: each drawing counts alone
  for _, l in ipairs(lines((tty:gsub("\r\27%[K", "\n"):gsub("\r", "")))) do
    T.truthy(#l < 60, "a line of " .. #l .. " characters: " .. l)
    if l:match("^many%.lua ") then
      rows = rows + 1
      T.truthy(l:match("  a_rather_long_f[%w_]*%.%.%.$") and #l == 59, "cut to the width, with ...: " .. l)
    end
  end
  T.eq(rows, 1, "the row of many.lua in:\n" .. tty)
end)

T.test("run examples/hello.lua: the example runs in a batch", function()
  local d = T.tmpdir()
  local st, out = T.run{ "run", "-q", "--out", d, "examples/hello.lua" }
  T.eq(st, 0, "status")
  T.truthy(out:match("\nexamples/hello%.lua +ok "), "summary:\n" .. out)
  T.eq(record(d .. "/hello/run.json").params.epochs, 5, "run.json")
end)

T.done()
