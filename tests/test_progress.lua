-- The progress line (src/lib/progress.c), the ETA line of run and sweep
-- (lua/luagrad/batch.lua) and luagrad --watch (src/host/watch.c), through the
-- real binary. A terminal comes from script(1).
local T = dofile("tests/check.lua")
local Q, EXE = T.quote, T.exe

-- A loop that lasts about `seconds` and calls progress(i, n, info) often.
local function busy_loop(seconds, info)
  return string.format([[
local n, t0 = 200000, os.clock()
for i = 1, n do
  while os.clock() - t0 < %g * i / n do end
  progress(i, n, %s)
end
print("after the loop")
]], seconds, info)
end

T.needs({ "script" }, "progress: on a terminal, one line redrawn in place, erased at the end", function()
  local d = T.folder{ ["loop.lua"] = busy_loop(1.2, '{ loss = 1 / i, label = "train" }') }
  local clock = require("luagrad.sys").clock
  local t0 = clock()
  local st, out = T.sh("cd " .. Q(d) .. " && COLUMNS=100 script -qec " .. Q(Q(EXE) .. " loop.lua")
    .. " /dev/null")
  local wall = clock() - t0
  T.eq(st, 0, "exit status")
  local frames = {}
  for f in out:gmatch("\r([^\r\n]*)") do
    if f:match("^train") then frames[#frames + 1] = f end
  end
  T.truthy(#frames >= 2, "two frames or more (0.5 s before the first, 0.2 s apart):\n" .. out)
  T.truthy(#frames <= wall / 0.2 + 1, "5 frames a second at most: " .. #frames .. " in " .. wall .. " s")
  T.truthy(frames[1]:match("^train %[[#%-]+%] +%d+%%  %d:%d%d elapsed  %d:%d%d left  loss [%d.e%-]+\27%[K$"),
    "the frame: " .. frames[1])
  -- print erases the line first: the script's output starts at the left
  T.truthy(out:find("\r\27%[Kafter the loop"), "the line erased before the output:\n" .. out)
end)

T.test("progress: into a file, a plain line every LUAGRAD_PROGRESS seconds, and the last", function()
  local d = T.folder{ ["loop.lua"] = busy_loop(1.0, "{ loss = 0.5, acc = 3 }") }
  local clock = require("luagrad.sys").clock
  local t0 = clock()
  local st, out, err = T.sh("cd " .. Q(d) .. " && LUAGRAD_PROGRESS=0.3 " .. Q(EXE) .. " loop.lua")
  local wall = clock() - t0
  T.eq(st, 0, "exit status")
  T.eq(out, "after the loop\n", "stdout")
  local lines = T.lines(err)
  T.truthy(#lines >= 2 and #lines <= wall / 0.3 + 1, "one line per 0.3 s and the last, in " ..
    wall .. " s:\n" .. err)
  for i = 1, #lines - 1 do
    T.truthy(lines[i]:match("^progress: %d+/200000 %(%d+%%%), 0:%d%d elapsed, 0:%d%d left, acc 3  loss 0%.5$"),
      "line " .. i .. ": " .. lines[i])
  end
  T.truthy(lines[#lines]:match("^progress: 200000/200000 %(100%%%), 0:%d%d elapsed, acc 3  loss 0%.5$"),
    "the last: " .. lines[#lines])
end)

T.test("progress: nothing with -q, with LUAGRAD_PROGRESS=off, or for short work", function()
  local d = T.folder{ ["loop.lua"] = busy_loop(0.6, "0.25"), ["short.lua"] = busy_loop(0.01, "1") }
  local _, _, err = T.sh("cd " .. Q(d) .. " && LUAGRAD_PROGRESS=0.1 " .. Q(EXE) .. " -q loop.lua")
  T.eq(err, "", "-q")
  _, _, err = T.sh("cd " .. Q(d) .. " && LUAGRAD_PROGRESS=off " .. Q(EXE) .. " loop.lua")
  T.eq(err, "", "off")
  _, _, err = T.sh("cd " .. Q(d) .. " && " .. Q(EXE) .. " short.lua")
  T.eq(err, "", "short work, default interval")
  local st
  st, _, err = T.sh("cd " .. Q(d) .. " && LUAGRAD_PROGRESS=soon " .. Q(EXE) .. " short.lua")
  T.eq(st, 1, "a bad LUAGRAD_PROGRESS")
  T.contains(err, "LUAGRAD_PROGRESS must be off or a number of seconds")
end)

T.test("progress: wrong arguments name the argument, what was expected and what was given", function()
  T.child_raises('progress("a", 10)', "progress: i (argument 1) must be a number, got string")
  T.child_raises('progress(1, 0)', "progress: n (argument 2) must be a number > 0, got 0")
  T.child_raises('progress(1, nil)', "progress: n (argument 2) must be a number > 0, got nil")
  T.child_raises('progress(1, 10, "x")',
    "progress: info (argument 3) must be a table like { loss = l } or a number, got string")
end)

T.test("progress: a call in a tight loop costs a few empty calls (CPU time, relative)", function()
  local d = T.folder{ ["cost.lua"] = [[
local n = 1000000
local function empty() end
local function time(f) local t0 = os.clock(); f(); return os.clock() - t0 end
local base = time(function() for i = 1, n do empty(i, n) end end)
local plain = time(function() for i = 1, n do progress(i, n) end end)
local loss = time(function() for i = 1, n do progress(i, n, 0.5) end end)
print(string.format("%.4f %.4f %.4f", base, plain, loss))
]] }
  -- stderr a file: the plain mode, the one whose check runs every call
  local st, out = T.sh("cd " .. Q(d) .. " && " .. Q(EXE) .. " cost.lua")
  T.eq(st, 0, "exit status")
  local base, plain, loss = out:match("^(%S+) (%S+) (%S+)")
  base, plain, loss = tonumber(base), tonumber(plain), tonumber(loss)
  io.stdout:write(string.format("# 10^6 calls: empty function %.0f ms, progress(i, n) %.0f ms, "
    .. "progress(i, n, l) %.0f ms\n", base * 1e3, plain * 1e3, loss * 1e3))
  -- CPU time of the same process, so another job's load cancels out
  T.truthy(plain < 6 * base + 0.05, "within a few empty calls: " .. plain .. " vs " .. base)
  T.truthy(loss < 6 * base + 0.05, "with a loss too: " .. loss .. " vs " .. base)
end)

T.test("progress: fit shows its epochs and loss; stopping early erases nothing it should not", function()
  local d = T.folder{ ["fit.lua"] = [[
local x = tensor.range(0, 1, 1e-4)
local y = x * 2 + 1
local m = model.affine()
local t0 = os.clock()
local r = fit(m, x, y, { epochs = 100000, lr = 0.1,
  on_epoch = function(e) return os.clock() - t0 > 0.8 end })
print("epochs", r.epochs > 1)
]] }
  local st, out, err = T.sh("cd " .. Q(d) .. " && LUAGRAD_PROGRESS=0.2 " .. Q(EXE) .. " fit.lua")
  T.eq(st, 0, "exit status: " .. err)
  T.contains(out, "epochs\ttrue")
  local line = T.lines(err)[1] or ""
  T.truthy(line:match("^fit: %d+/100000 %(%d+%%%), 0:%d%d elapsed, [%d:]+ left, loss [%d.e%-]+$"), line)
end)

T.test("progress: csv.read of a large file and a long direct scan.mse; the scan's numbers do not change", function()
  local d = T.folder{ ["big.lua"] = [[
local w <close> = csv.writer("big.csv", { "x", "y" })
for i = 1, 400000 do w:row(i * 0.5, i * 0.25) end
w:close()
local cols = csv.read(luagrad.out .. "/big.csv")
print("rows", #cols.x)
local x = tensor.range(0, 1, 1 / 20000)
local y = x * 3 - 1
local ws = tensor.range(-2, 2, 0.001)
local mse = scan.mse{ x = x, y = y, w = ws, method = "direct" }
-- each grid point alone (no slicing): the same bits
local worst = 0
for _, i in ipairs({ 1, 7, 1000, #ws }) do
  local one = scan.mse{ x = x, y = y, w = { ws[i] }, method = "direct" }
  worst = math.max(worst, math.abs(one[1] - mse[i]))
end
print("worst", worst)
]] }
  local st, out, err = T.sh("cd " .. Q(d) .. " && LUAGRAD_PROGRESS=0.001 " .. Q(EXE) .. " --out o big.lua")
  T.eq(st, 0, "exit status: " .. err)
  T.contains(out, "rows\t400000", "worst\t0")
  T.truthy(err:match("\ncsv%.read: %d+/%d+ %(%d+%%%)") or err:match("^csv%.read: %d+/%d+ %(%d+%%%)"),
    "csv.read's line:\n" .. err)
  T.truthy(err:match("scan%.mse: %d+/4001 %(%d+%%%)"), "scan.mse's line:\n" .. err)
end)

-- ---- run and sweep: k/N done, f failed, ETA ---------------------------------------

T.needs({ "script" }, "sweep -q on a terminal: k/N done, f failed, ETA as runs finish", function()
  local d = T.folder{ ["s.lua"] = [[
local P = params{ k = 1 }
local t0 = os.clock() while os.clock() - t0 < 0.1 do end
if P.k == 2 then error("k = 2 fails") end
report{ k = P.k }
]] }
  local st, out = T.sh("cd " .. Q(d) .. " && script -qec " ..
    Q(Q(EXE) .. " sweep -q -j 1 --plot none s.lua k=1,2,3") .. " /dev/null")
  T.eq(st, 1, "the sweep's status (one run failed)")
  T.truthy(out:find("1/3 done, 0 failed, ETA 0:0%d"), "after the first:\n" .. out)
  T.truthy(out:find("2/3 done, 1 failed, ETA 0:0%d"), "after the second")
  T.truthy(out:find("3/3 done, 1 failed, in 0:0%d\r?\n"), "the last, kept")
  T.truthy(not out:find("%[1/3%]"), "-q: no line per run")
end)

-- ---- --watch ------------------------------------------------------------------------

T.test("--watch: runs again when the script or a file it read changes", function()
  local d = T.folder{
    ["s.lua"] = 'local P = params{ k = 1 }\nlocal f = assert(io.open("data.txt"))\n' ..
      'local s = 0\nfor l in f:lines() do s = s + tonumber(l) end\nf:close()\n' ..
      'local cols = csv.read("t.csv")\nreport{ sum = s * P.k + cols.a[1] }\n',
    ["data.txt"] = "1\n2\n",
    ["t.csv"] = "a\n100\n",
  }
  -- the watcher in the background, bounded by timeout (SIGKILL: a slow
  -- sanitizer build may be in its exit-time leak check, which another
  -- signal can deadlock); the script waits up to 60 s for each run's
  -- report before it changes a file
  local st, out, err = T.sh("cd " .. Q(d) .. " && { timeout -s KILL 300 " .. Q(EXE) ..
    " --watch s.lua k=2 >log 2>&1 & pid=$!; " ..
    "wait_for() { i=0; while [ \"$(cat log 2>/dev/null | grep -c \"$1\")\" -lt $2 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; }; " ..
    "wait_for '^---- exit' 1; printf '1\\n2\\n3\\n' > data.txt; " ..
    "wait_for '^---- exit' 2; printf 'a\\n1000\\n' > t.csv; " ..
    "wait_for '^---- exit' 3; printf '\\n-- edited\\n' >> s.lua; " ..
    "wait_for '^---- exit' 4; kill -INT $pid; wait $pid; echo \"status $?\"; cat log; }")
  local runs = {}
  for n, why in out:gmatch("==== luagrad %-%-watch: run (%d) of s%.lua at [%d:]+([^\n]*) ====\n") do
    runs[#runs + 1] = why
  end
  T.eq(#runs, 4, "four runs:\n" .. out .. err)
  T.eq(runs[1], "", "the first")
  T.eq(runs[2], " (data.txt changed)", "io.open's file")
  T.eq(runs[3], " (t.csv changed)", "csv.read's file")
  T.eq(runs[4], " (s.lua changed)", "the script")
  local sums = {}
  for v in out:gmatch("report: sum=(%d+)") do sums[#sums + 1] = v end
  T.eq(table.concat(sums, " "), "106 112 1012 1012", "each run's report")
  T.truthy(out:match("\n%-%-%-%- exit 0 in %d+%.%d%d s; watching 3 files %(Ctrl%-C stops%)\n"), out)
  T.contains(out, "status 130")
end)

T.test("--watch: files read with io.lines and io.input count too", function()
  local d = T.folder{
    ["s.lua"] = 'local s = 0\nfor l in io.lines("a.txt") do s = s + tonumber(l) end\n' ..
      'io.input("b.txt")\ns = s + tonumber(io.read("l"))\nreport{ sum = s }\n',
    ["a.txt"] = "1\n2\n",
    ["b.txt"] = "10\n",
  }
  local started = os.time()
  local st, out, err = T.sh("cd " .. Q(d) .. " && { timeout 30 " .. Q(EXE) ..
    " --watch s.lua >log 2>&1 & pid=$!; " ..
    "wait_for() { i=0; while [ \"$(cat log 2>/dev/null | grep -c \"$1\")\" -lt $2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; }; " ..
    "wait_for '^---- exit' 1; printf '5\\n' > a.txt; " ..
    "wait_for '^---- exit' 2; printf '100\\n' > b.txt; " ..
    "wait_for '^---- exit' 3; kill -INT $pid; wait $pid; echo \"status $?\"; cat log; }")
  T.truthy(os.time() - started < 25, "bounded in time")
  local runs = {}
  for why in out:gmatch("==== luagrad %-%-watch: run %d of s%.lua at [%d:]+([^\n]*) ====\n") do
    runs[#runs + 1] = why
  end
  T.eq(table.concat(runs, "|"), "| (a.txt changed)| (b.txt changed)", "three runs:\n" .. out .. err)
  local sums = {}
  for v in out:gmatch("report: sum=(%d+)") do sums[#sums + 1] = v end
  T.eq(table.concat(sums, " "), "13 15 105", "each run's report")
  T.contains(out, "watching 3 files")
end)

T.test("--watch: command-line errors", function()
  local st, _, err = T.run({ "--watch" })
  T.eq(st, 2, "no script")
  T.contains(err, "--watch needs one script: luagrad --watch SCRIPT.lua key=value ...")
  st, _, err = T.run({ "--watch", "-" })
  T.eq(st, 2, "stdin")
  T.contains(err, "--watch cannot watch a script read from stdin ('-')")
  st, _, err = T.run({ "run", "--watch", "a.lua" })
  T.eq(st, 2, "with run")
  T.contains(err, "--watch needs one script")
end)

T.done()
